"""Report submissions per second through gunicorn on PostgreSQL, against a plain upload view.

    .venv/bin/python bench/submit.py [--seconds 30] [--clients 12] [--workers 2] [--threads 8]
        [--rounds 3] [--in-process 100] [--pin-server 1] [--pin-client 0]

Creates (drops first) the database `yima_bench`, migrates and seeds it, collects static files.

1. In-process breakdown (`--in-process` submissions, then as many plain uploads): the WSGI handler
   called directly in one thread, with the bench's multipart body, and every phase of a submission
   timed by wrapping the function that does it: CPU (thread time) and wall time per request,
   exclusive of nested phases, and queries per phase. This is the figure least sensitive to what
   else the machine is doing.
2. Through gunicorn on 127.0.0.1:6411 (YIMA_BENCH_VIEWS=1, bench/gunicorn_stats.py as config):
   concurrent clients (threads with keep-alive http.client connections) post a 1 MB JPEG, in
   --rounds alternating rounds of --seconds/--rounds each, so both see the same machine, to
     a. POST /api/v1/reports/ (the full submit_report: decode, strip, grid lookup, ticket number,
        report + photo + event in one transaction, thumbnail and dispatch queued on commit);
     b. POST /bench/store/    (the floor: a plain Django view that only stores the same upload).
   Prints reports/s, p50 and p95 latency for both, the ratio, the server's own CPU, wall time and
   queries per request (measured in the handling thread), the workers' whole-process CPU per
   request, the load generator's CPU per request and the load average before and after.
   --pin-server / --pin-client run gunicorn and the clients on separate CPUs (taskset), so that the
   load generator does not take the server's CPU.
3. The report page's first-load transfer size (HTML + CSS + JS + what the CSS references, gzip as
   whitenoise serves it; no tiles).

Uses Redis DB 2 (this bench's own) as broker and cache and flushes it afterwards.
YIMA_BENCH_DB, YIMA_BENCH_REDIS_URL, YIMA_BENCH_PORT and YIMA_BENCH_CONTROL_SOCKET override the
database, Redis URL, port and gunicorn control socket, so several benches can share a machine.
"""

import argparse
import functools
import gzip
import http.client
import importlib
import io
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import types
import uuid
from pathlib import Path

import psycopg2
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
# Several people may run benches on one machine: each can pick their own database, Redis database
# and port (the defaults are this bench's own).
HOST = "127.0.0.1"
PORT = int(os.environ.get("YIMA_BENCH_PORT", "6411"))
DB = os.environ.get("YIMA_BENCH_DB", "yima_bench")
REDIS = os.environ.get("YIMA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
CONTROL_SOCKET = os.environ.get("YIMA_BENCH_CONTROL_SOCKET", f"/tmp/yima_bench_{PORT}.ctl")
# A point inside the city (one of the demo grids, which tile its outline).
LON, LAT = 111.87125, 34.789


def bench_env(var_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
        REDIS_URL=REDIS,
        CELERY_BROKER_URL=REDIS,
        YIMA_VAR_DIR=str(var_dir),
        MEDIA_ROOT=str(var_dir / "media"),
        YIMA_BENCH_VIEWS="1",
        ANON_SUBMIT_RATE="100000000/hour",
        LOG_LEVEL="WARNING",
        AXES_ENABLED="false",
    )
    return env


def control_socket_args() -> list[str]:
    """gunicorn ≥ 24 opens a control socket, by default one per user: give ours its own path."""
    help_text = subprocess.run(
        [str(BIN / "gunicorn"), "--help"], capture_output=True, text=True, check=False
    ).stdout
    return ["--control-socket", CONTROL_SOCKET] if "--control-socket" in help_text else []


def recreate_database() -> None:
    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {DB}")
    conn.close()


def manage(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def one_megabyte_jpeg() -> bytes:
    """A 1600x1200 photo-like JPEG of about 1 MB (noise over gradients compresses like a photo)."""
    rng = random.Random(42)
    base = Image.linear_gradient("L").resize((1600, 1200)).convert("RGB")
    noise = Image.frombytes("RGB", (1600, 1200), rng.randbytes(1600 * 1200 * 3))
    image = Image.blend(base, noise, 0.3)
    best = b""
    for quality in range(95, 40, -5):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality)
        best = out.getvalue()
        if len(best) <= 1_050_000:
            break
    return best


class Body:
    """A multipart body with one photo, whose bytes change for every request at almost no cost.

    Each report gets different photo bytes (a counter in a JPEG comment segment, rewritten in
    place), so no two share a hash; building a fresh 1 MB body per request would make the load
    generator itself a noticeable CPU consumer on a small machine.
    """

    def __init__(self, fields: dict, photo: bytes, client: int):
        boundary = uuid.uuid4().hex
        head = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        )
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; '
            f'filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        ).encode()
        marker = b"\xff\xfe\x00\x0a" + f"{client:03d}".encode()
        self.offset = len(head) + 2 + len(marker)
        self.data = bytearray(
            head + photo[:2] + marker + b"00000" + photo[2:] + f"\r\n--{boundary}--\r\n".encode()
        )
        self.content_type = f"multipart/form-data; boundary={boundary}"

    def next(self, n: int) -> bytearray:
        self.data[self.offset : self.offset + 5] = f"{n % 100000:05d}".encode()
        return self.data


FIELDS = {"category": "01037", "lon": LON, "lat": LAT, "description": "bench"}


def wait_until_up(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def drive(path: str, photo: bytes, *, run: str, seconds: float, clients: int) -> dict:
    """Post for `seconds` from `clients` threads; returns latencies, errors, elapsed time and the
    load generator's own CPU time."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    bodies = [Body(FIELDS, photo, i) for i in range(clients)]
    counter = iter(range(10**9))  # next() on an iterator is atomic under the GIL
    start = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        body = bodies[index]
        headers = {"Content-Type": body.content_type, "X-Bench-Run": run}
        conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        mine, errs = [], []
        start.wait()
        while time.monotonic() < stop_at:
            data = body.next(next(counter))
            started = time.perf_counter()
            try:
                conn.request("POST", path, body=data, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status not in (200, 201):
                    errs.append(str(response.status))
                    continue
            except (OSError, http.client.HTTPException) as exc:
                errs.append(type(exc).__name__)
                conn.close()
                conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors.extend(errs)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    cpu_before = time.process_time()
    started = time.monotonic()
    stop_at = started + seconds
    start.wait()
    for t in threads:
        t.join()
    return {
        "latencies": latencies,
        "errors": errors,
        "elapsed": time.monotonic() - started,
        "client_cpu": time.process_time() - cpu_before,
    }


def summarize(parts: list[dict]) -> dict:
    latencies = sorted(x for part in parts for x in part["latencies"])
    errors = [x for part in parts for x in part["errors"]]
    elapsed = sum(part["elapsed"] for part in parts)
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    return {
        "count": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "rate": len(latencies) / elapsed,
        "p50": quantiles[49] * 1000,
        "p95": quantiles[94] * 1000,
        "client_cpu_ms": 1000 * sum(part["client_cpu"] for part in parts) / max(1, len(latencies)),
    }


def process_cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far (all their threads)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def children_of(parent: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                pids.append(int(entry.name))
    return pids


def server_stats(path: Path) -> dict:
    """The gunicorn workers' per-run totals (bench/gunicorn_stats.py), summed over workers."""
    runs: dict[str, list] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            for run, totals in json.loads(line)["runs"].items():
                mine = runs.setdefault(run, [0, 0.0, 0.0, 0])
                for i, value in enumerate(totals):
                    mine[i] += value
    return runs


# --- In-process breakdown ------------------------------------------------------------------------

# Each phase is the function that does it, wrapped; time is counted in the innermost phase only.
# (label, targets, counted only when called directly inside one of these phases, or anywhere)
SUBMIT = "submit_report: field checks, transaction, other"
CHECK = "validation: open, check, decode"
PHASES = [
    ("DRF view: auth, response", ["rest_framework.views:APIView.dispatch"], None),
    (
        "throttle (cache round trips)",
        ["rest_framework.throttling:SimpleRateThrottle.allow_request"],
        None,
    ),
    ("DRF multipart parsing", ["rest_framework.request:Request._parse"], None),
    (SUBMIT, ["reports.actions:submit_report"], None),
    ("category lookup", ["reports.actions:_parse_category"], None),
    ("photos: read upload, EXIF GPS, other", ["reports.actions:process_photos"], None),
    (
        CHECK,
        [
            # (the names before and after this changes, so the bench runs on both)
            "reports.photos:_open_image",
            "reports.photos:_decode_checked",
            "reports.photos:_open_checked",
            "reports.photos:_keeps_image_data",
        ],
        None,
    ),
    ("hashing", ["reports.photos:hashlib.sha256"], None),
    (
        "metadata stripping / re-encode",
        ["reports.photos:strip_jpeg_metadata", "reports.photos:_encode_jpeg"],
        None,
    ),
    ("grid lookup", ["reports.actions:grid_for_point"], None),
    ("photo file write", ["reports.actions:_store_photo_files"], None),
    ("number allocation", ["reports.actions:_next_number"], None),
    (
        "inserts: report, event, photos",
        [
            "django.db.models:Model.save_base",
            "django.db.models.query:QuerySet.bulk_create",
            "reports.events:submitted_event",
        ],
        {SUBMIT},
    ),
    ("commit", ["django.db.backends.base.base:BaseDatabaseWrapper.commit"], {SUBMIT}),
    ("on-commit hooks: dispatch + thumbnail doorbells", ["reports.actions:_after_submit"], None),
]


class PhaseClock:
    """CPU (thread time), wall time and queries per phase, each exclusive of nested phases."""

    def __init__(self):
        self.totals: dict[str, list] = {}  # label → [cpu, wall, queries]
        self.stack: list[list] = []  # [label, cpu at start, wall at start, child cpu, child wall]

    def current(self) -> str | None:
        return self.stack[-1][0] if self.stack else None

    def enter(self, label: str) -> None:
        self.stack.append([label, time.thread_time(), time.perf_counter(), 0.0, 0.0])

    def leave(self) -> None:
        label, cpu0, wall0, child_cpu, child_wall = self.stack.pop()
        cpu, wall = time.thread_time() - cpu0, time.perf_counter() - wall0
        totals = self.totals.setdefault(label, [0.0, 0.0, 0])
        totals[0] += cpu - child_cpu
        totals[1] += wall - child_wall
        if self.stack:
            self.stack[-1][3] += cpu
            self.stack[-1][4] += wall

    def wrap(self, label: str, fn, inside: set | None):
        clock = self

        @functools.wraps(fn)
        def timed(*args, **kwargs):
            if inside is not None and clock.current() not in inside:
                return fn(*args, **kwargs)
            clock.enter(label)
            try:
                return fn(*args, **kwargs)
            finally:
                clock.leave()

        return timed

    def count_query(self, execute, sql, params, many, context):
        totals = self.totals.setdefault(self.current() or "-", [0.0, 0.0, 0])
        totals[2] += 1
        return execute(sql, params, many, context)


def _patch(clock: PhaseClock, label: str, target: str, inside: set | None) -> bool:
    module_name, _, attr_path = target.partition(":")
    owner = importlib.import_module(module_name)
    *parents, attr = attr_path.split(".")
    for name in parents:
        if not hasattr(owner, name):
            return False
        inner = getattr(owner, name)
        if isinstance(inner, types.ModuleType):  # hashlib inside reports.photos: patch a copy
            inner = types.SimpleNamespace(**vars(inner))
            setattr(owner, name, inner)
        owner = inner
    if not hasattr(owner, attr):
        return False  # the code has no such step (any more): the phase shows nothing
    setattr(owner, attr, clock.wrap(label, getattr(owner, attr), inside))
    return True


def in_process(n: int) -> None:
    """Run in a child process with the bench's environment: print where a submission's time goes."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yima_gov.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    handler = WSGIHandler()
    photo = one_megabyte_jpeg()
    body = Body(FIELDS, photo, 999)

    def call(path: str, i: int) -> None:
        data = bytes(body.next(i))
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "CONTENT_TYPE": body.content_type,
            "CONTENT_LENGTH": str(len(data)),
            "SERVER_NAME": HOST,
            "SERVER_PORT": str(PORT),
            "REMOTE_ADDR": HOST,
            "HTTP_HOST": HOST,
            "wsgi.input": io.BytesIO(data),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        statuses = []
        response = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(response)
        response.close()
        if statuses[0][:3] not in ("200", "201"):
            raise SystemExit(f"{path} answered {statuses[0]}")

    def cpu_per_request(path: str, first: int) -> tuple[float, float]:
        cpu, wall = time.thread_time(), time.perf_counter()
        for i in range(n):
            call(path, first + i)
        return (time.thread_time() - cpu) * 1000 / n, (time.perf_counter() - wall) * 1000 / n

    for i in range(10):  # warm up: imports, the grid index, connections, translations
        call("/api/v1/reports/", 90000 + i)
        call("/bench/store/", 90000 + i)
    # Unwrapped first: the figures to trust; then once more with every phase timed.
    submit_cpu, submit_wall = cpu_per_request("/api/v1/reports/", 0)
    plain_cpu, plain_wall = cpu_per_request("/bench/store/", 0)

    clock = PhaseClock()
    for label, targets, inside in PHASES:
        for target in targets:
            _patch(clock, label, target, inside)
    request = "middleware, URL routing, WSGI handler"
    with connection.execute_wrapper(clock.count_query):
        for i in range(n):
            clock.enter(request)
            try:
                call("/api/v1/reports/", 20000 + i)
            finally:
                clock.leave()

    print(f"in-process, one thread, {n} submissions of the 1 MB JPEG (per request, exclusive):")
    print(f"  {'phase':48s} {'CPU ms':>7s} {'wall ms':>8s} {'queries':>8s}")
    rows = [(request, clock.totals.get(request, [0, 0, 0]))]
    rows += [(label, clock.totals.get(label, [0, 0, 0])) for label, _, _ in PHASES]
    rows.append(("(outside every phase)", clock.totals.get("-", [0, 0, 0])))
    for label, (cpu, wall, queries) in rows:
        print(f"  {label:48s} {cpu * 1000 / n:7.2f} {wall * 1000 / n:8.2f} {queries / n:8.1f}")
    total_cpu = sum(t[0] for t in clock.totals.values()) * 1000 / n
    total_wall = sum(t[1] for t in clock.totals.values()) * 1000 / n
    total_queries = sum(t[2] for t in clock.totals.values()) / n
    print(f"  {'total, timed':48s} {total_cpu:7.2f} {total_wall:8.2f} {total_queries:8.1f}")
    print(
        f"  submit_report, untimed: {submit_cpu:.2f} ms CPU, {submit_wall:.2f} ms wall per request"
    )
    print(f"  plain upload view:      {plain_cpu:.2f} ms CPU, {plain_wall:.2f} ms wall per request")
    print(f"  in-process ratio plain/submit (CPU): {plain_cpu / submit_cpu:.2f}")
    check = clock.totals.get(CHECK, [0.0])[0] * 1000 / n
    print(
        f"  the full check of the photo (every scan entropy-decoded) is {check:.1f} ms, "
        f"{100 * check / total_cpu:.0f}% of the timed CPU; without it the in-process ratio "
        f"would be {plain_cpu / max(0.01, submit_cpu - check):.2f}",
        flush=True,
    )


def fetch(path: str) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
    response = conn.getresponse()
    body = response.read()
    headers = {k.lower(): v for k, v in response.getheaders()}
    conn.close()
    return response.status, body, headers


def first_load_size() -> list[tuple[str, int, int]]:
    """(path, transferred bytes, uncompressed bytes) for the report page and what it loads."""
    rows = []
    status, body, headers = fetch("/report/")
    html = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
    rows.append(("/report/", len(body), len(html)))
    text = html.decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
    assets += re.findall(r'<script src="([^"]+)"', text)
    for asset in assets:
        _, raw, hdrs = fetch(asset)
        plain = gzip.decompress(raw) if hdrs.get("content-encoding") == "gzip" else raw
        rows.append((asset, len(raw), len(plain)))
        if asset.endswith(".css"):
            # Fonts and images the stylesheet references (Leaflet's marker icons, for example).
            for ref in sorted(set(re.findall(rb"url\(([^)\"']+)\)", plain))):
                ref = ref.decode()
                if ref.startswith(("data:", "#")):
                    continue
                url = asset.rsplit("/", 1)[0] + "/" + ref
                _, raw2, hdrs2 = fetch(url)
                rows.append((url, len(raw2), len(raw2)))
    # Leaflet's marker icon is loaded by its script, not its stylesheet; the report page shows it.
    for icon in ("marker-icon.png", "marker-shadow.png"):
        _, raw, _ = fetch(f"/static/vendor/leaflet/images/{icon}")
        rows.append((f"/static/vendor/leaflet/images/{icon}", len(raw), len(raw)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--in-process", type=int, default=100, metavar="N")
    parser.add_argument("--pin-server", metavar="CPUS", help="taskset CPU list for gunicorn")
    parser.add_argument("--pin-client", metavar="CPUS", help="CPU list for the load generator")
    parser.add_argument(
        "--reuse-database", action="store_true", help="skip dropping, migrating and seeding"
    )
    parser.add_argument(
        "--no-server", action="store_true", help="only the in-process breakdown (step 1)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # step 1 runs in a child process with the bench's environment
        in_process(args.in_process)
        return

    var_dir = Path(tempfile.mkdtemp(prefix="yima_bench_"))
    env = bench_env(var_dir)
    if not args.reuse_database:
        print(f"setting up database {DB} and static files in {var_dir} …", flush=True)
        recreate_database()
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_yima")
    manage(env, "collectstatic", "--noinput", "-v0")

    print(f"load average: {uptime()}", flush=True)
    if args.in_process:
        subprocess.run(
            [sys.executable, __file__, "--child", "--in-process", str(args.in_process)],
            cwd=ROOT,
            env=env,
            check=True,
        )
    if args.no_server:
        subprocess.run(["redis-cli", "-u", REDIS, "FLUSHDB"], check=False, capture_output=True)
        shutil.rmtree(var_dir, ignore_errors=True)
        return

    stats_file = var_dir / "gunicorn_stats.jsonl"
    env["YIMA_BENCH_STATS"] = str(stats_file)
    pin = ["taskset", "-c", args.pin_server] if args.pin_server else []
    server = subprocess.Popen(
        [
            *pin,
            str(BIN / "gunicorn"),
            "yima_gov.wsgi",
            "-c",
            str(ROOT / "bench" / "gunicorn_stats.py"),
            "-b",
            f"{HOST}:{PORT}",
            "-w",
            str(args.workers),
            "-k",
            "gthread",
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
            *control_socket_args(),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    if args.pin_client:
        os.sched_setaffinity(0, parse_cpus(args.pin_client))
    try:
        wait_until_up()
        workers = children_of(server.pid)
        photo = one_megabyte_jpeg()
        print(
            f"\nthrough gunicorn: 1 MB JPEG 1600x1200; {args.clients} clients; gunicorn "
            f"{args.workers} workers x {args.threads} threads; {args.rounds} alternating rounds of "
            f"{args.seconds / args.rounds:.0f} s each; server on CPUs {args.pin_server or 'any'}, "
            f"clients on {args.pin_client or 'any'}",
            flush=True,
        )
        load_before = uptime()
        # Warm-up: imports, the grid index, connections in every thread.
        for path in ("/api/v1/reports/", "/bench/store/"):
            drive(path, photo, run="warm-up", seconds=3, clients=args.clients)
        parts: dict[str, list] = {"submit": [], "plain": []}
        worker_cpu = {"submit": 0.0, "plain": 0.0}
        each = args.seconds / args.rounds
        for _ in range(args.rounds):
            for run, path in (("submit", "/api/v1/reports/"), ("plain", "/bench/store/")):
                before = process_cpu_seconds(workers)
                parts[run].append(drive(path, photo, run=run, seconds=each, clients=args.clients))
                worker_cpu[run] += process_cpu_seconds(workers) - before
        load_after = uptime()
        full, plain = summarize(parts["submit"]), summarize(parts["plain"])
        for r, run in ((full, "submit"), (plain, "plain")):
            r["worker_cpu_ms"] = 1000 * worker_cpu[run] / max(1, r["count"])
        rows = first_load_size()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        subprocess.run(["redis-cli", "-u", REDIS, "FLUSHDB"], check=False, capture_output=True)
        server_side = server_stats(stats_file)
        shutil.rmtree(var_dir, ignore_errors=True)

    for name, r in (("submit_report (API)", full), ("plain upload view", plain)):
        print(
            f"{name:22s} {r['rate']:7.1f} req/s  p50 {r['p50']:6.0f} ms  p95 {r['p95']:6.0f} ms"
            f"  ({r['count']} ok, {r['errors']} errors {r['error_kinds']})"
        )
    ratio = full["rate"] / plain["rate"]
    print(
        f"ratio submit/plain: {ratio:.2f} (workers' CPU per request: "
        f"{plain['worker_cpu_ms'] / full['worker_cpu_ms']:.2f})"
    )
    print(
        "aims: ratio >= 0.5 {}, >= 50 reports/s {}, p95 < 300 ms {}".format(
            *(
                "met" if ok else "NOT met"
                for ok in (ratio >= 0.5, full["rate"] >= 50, full["p95"] < 300)
            )
        )
    )
    print("per request, as the server and the client see it:")
    for name, run, r in (
        ("submit_report (API)", "submit", full),
        ("plain upload view", "plain", plain),
    ):
        count, cpu, wall, queries = server_side.get(run, [0, 0.0, 0.0, 0])
        count = max(1, count)
        print(
            f"  {name:22s} handling thread {1000 * cpu / count:5.1f} ms CPU, "
            f"{1000 * wall / count:6.1f} ms wall, {queries / count:4.1f} queries; "
            f"workers {r['worker_cpu_ms']:5.1f} ms CPU; load generator {r['client_cpu_ms']:4.1f} ms CPU"
        )
    print(f"load average before: {load_before}; after: {load_after}")

    for path, sent, plain_size in rows:
        print(f"  {path:55s} {sent / 1024:7.1f} KB sent ({plain_size / 1024:.1f} KB raw)")
    total = sum(sent for _, sent, _ in rows)
    raw_total = sum(p for _, _, p in rows)
    print(
        f"report page first load: {total / 1024:.1f} KB transferred ({raw_total / 1024:.1f} KB uncompressed)"
    )


def uptime() -> str:
    return "{:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg())


def parse_cpus(spec: str) -> set[int]:
    cpus: set[int] = set()
    for part in spec.split(","):
        low, _, high = part.partition("-")
        cpus.update(range(int(low), int(high or low) + 1))
    return cpus


if __name__ == "__main__":
    sys.exit(main())
