"""Dispatch latency: from a report's commit to its tasks, through one real Celery worker on Redis.

    .venv/bin/python bench/dispatch_latency.py [--rate 20] [--seconds 30] [--port 6430]

Uses its own database, yima_h3_bench (dropped and recreated each run, then migrated and seeded),
and its own redis-server on --port (broker on db 0, result backend on db 1), started and stopped
here. One worker (`celery -A yima_gov worker`, prefork, --concurrency processes) routes what this process
submits at a steady --rate for --seconds: a mix of the electric-pole case (six tasks), a street
light (one department task) and exposed garbage (the grid's team).

Measured in the same run:
- commit → tasks: from the report's commit (an on_commit hook that runs before reports' own,
  which rings the doorbell) to Task.assigned_at, set by the worker inside the routing transaction.
- empty-task round trip: yima.ping sent with a result backend and waited for, 5 a second, while
  the reports are flowing.

Aim: p95 under 500 ms and under three times the empty task's p95.
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "yima_h3_bench"

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--rate", type=float, default=20.0, help="reports per second")
parser.add_argument("--seconds", type=float, default=30.0, help="how long to submit")
parser.add_argument("--port", type=int, default=6430, help="port of the bench's redis-server")
parser.add_argument("--concurrency", type=int, default=2, help="pool processes of the worker")
args = parser.parse_args()

BROKER = f"redis://127.0.0.1:{args.port}/0"
BACKEND = f"redis://127.0.0.1:{args.port}/1"
ENV = {
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
    "DJANGO_SETTINGS_MODULE": "yima_gov.settings",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123",
    "SECURE_SSL_REDIRECT": "false",
    "CELERY_BROKER_URL": BROKER,
    "CELERY_RESULT_BACKEND": BACKEND,
    "REDIS_URL": "",
    "YIMA_VAR_DIR": "/tmp/yima-dispatch-bench",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "SMS_BACKEND": "accounts.sms.LocmemSmsBackend",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)

import psycopg2  # noqa: E402


def recreate_database() -> None:
    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{DB}"')
        cur.execute(f'CREATE DATABASE "{DB}"')
    conn.close()


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), 0.2):
            return True
    except OSError:
        return False


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise SystemExit(f"timed out waiting for {what}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    if port_open(args.port):
        raise SystemExit(f"port {args.port} is in use; pass --port")
    recreate_database()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from shapely.geometry import shape

    from dispatch import seed as dispatch_seed
    from dispatch.models import Task
    from grids import actions as grid_actions
    from grids.demo_people import ensure_demo_people
    from grids.models import Grid
    from reports.actions import submit_report
    from reports.seed import seed_categories
    from yima_gov.celery import app, ping

    print(f"database {DB}: migrating and seeding…", flush=True)
    call_command("migrate", verbosity=0)
    grid_actions.seed_divisions()
    grid_actions.seed_demo_grids()
    ensure_demo_people()
    seed_categories()
    dispatch_seed.seed_units()
    dispatch_seed.seed_rules()
    dispatch_seed.ensure_demo_unit_staff()
    points = [shape(g.boundary).representative_point() for g in Grid.objects.all()[:50]]

    redis = subprocess.Popen(
        ["redis-server", "--port", str(args.port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    worker = None
    try:
        wait_for(lambda: port_open(args.port), 10, "redis-server")
        worker = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                "yima_gov",
                "worker",
                "-Q",
                "yima",
                f"--concurrency={args.concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env={**os.environ, **ENV},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

        def answers() -> bool:
            return bool(app.control.ping(timeout=0.5))

        wait_for(answers, 60, "the worker")
        ping.apply_async(ignore_result=False).get(timeout=10)  # warm both ends

        commits: dict[int, float] = {}
        pings: list[float] = []
        stop = threading.Event()

        def ping_loop():
            while not stop.is_set():
                sent = time.time()
                ping.apply_async(ignore_result=False).get(timeout=10)
                pings.append(time.time() - sent)
                stop.wait(0.2)

        pinger = threading.Thread(target=ping_loop)
        pinger.start()

        codes = ["01030", "01037", "06010", "01037"]
        total = int(args.rate * args.seconds)
        start = time.monotonic()
        print(f"submitting {total} reports at {args.rate:g}/s…", flush=True)
        for i in range(total):
            delay = start + i / args.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            mark: dict[str, float] = {}
            point = points[i % len(points)]
            with transaction.atomic():
                # Registered before submit_report's own hook, so it runs first, at the commit.
                transaction.on_commit(lambda mark=mark: mark.__setitem__("t", time.time()))
                report = submit_report(
                    category=codes[i % len(codes)],
                    lon=point.x,
                    lat=point.y,
                    description="基准测试",
                    require_photo=False,
                )
            commits[report.id] = mark["t"]
        behind = time.monotonic() - start - args.seconds
        stop.set()
        pinger.join()

        def all_routed() -> bool:
            return Task.objects.filter(report_id__in=commits).values(
                "report_id"
            ).distinct().count() == len(commits)

        wait_for(all_routed, 120, "every report to be routed")
        first_task = {}
        for report_id, assigned in Task.objects.filter(report_id__in=commits).values_list(
            "report_id", "assigned_at"
        ):
            first_task[report_id] = min(first_task.get(report_id, assigned), assigned)
        latencies = [first_task[r].timestamp() - t for r, t in commits.items()]
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(30)
        os.killpg(redis.pid, signal.SIGTERM)
        redis.wait(10)

    ms = 1000
    p50, p95 = percentile(latencies, 0.5) * ms, percentile(latencies, 0.95) * ms
    ping50, ping95 = percentile(pings, 0.5) * ms, percentile(pings, 0.95) * ms
    print()
    print(
        f"reports submitted:     {len(latencies)} in {args.seconds:g} s "
        f"(submitter finished {max(behind, 0) * ms:.0f} ms behind schedule)"
    )
    print(
        f"commit → tasks:        p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   "
        f"max {max(latencies) * ms:7.1f} ms   mean {statistics.mean(latencies) * ms:7.1f} ms"
    )
    print(
        f"empty task round trip: p50 {ping50:7.1f} ms   p95 {ping95:7.1f} ms   "
        f"({len(pings)} yima.ping with a result backend)"
    )
    print(f"p95 ratio:             {p95 / ping95:.2f}× the empty task's p95")
    ok = p95 < 500 and p95 < 3 * ping95
    print(f"aim (p95 < 500 ms and < 3× empty task p95): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
