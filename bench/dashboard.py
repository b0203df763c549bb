"""Dashboard API latency at 10,000 and 1,000,000 tickets, on PostgreSQL.

    .venv/bin/python bench/dashboard.py [--sizes 10000 1000000] [--runs 40]

Uses its own database, yima_bench_stats (created if missing, its tickets replaced at each size).
For each size it generates the history (bulk, see stats/history.py), then calls
/api/v1/stats/dashboard in-process as an official — city over 30 days, city over this year, one
街道 over 30 days and over this year — and prints p50/p95 per case and the ratio between sizes.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "yima_bench_stats"
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yima_gov.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

import psycopg2  # noqa: E402


def ensure_database():
    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{DB}"')
    conn.close()


ensure_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from grids.models import Street  # noqa: E402
from reports.models import Report  # noqa: E402
from stats.history import generate_history  # noqa: E402


def reset_tickets():
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE stats_ticketfact, stats_rollup, stats_unitrollup, stats_refreshstate, "
            "dispatch_task, dispatch_extension, dispatch_dispatchqueueentry, reports_photo, "
            "reports_event, reports_supporter, reports_report CASCADE"
        )


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(client, query, runs):
    client.get("/api/v1/stats/dashboard?" + query)  # warm caches and connections
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get("/api/v1/stats/dashboard?" + query)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content[:200]
    return statistics.median(times), percentile(times, 0.95)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the tickets already in the database when it holds the largest size "
        "(measured first, then the smaller sizes are regenerated)",
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("seed_yima", "--no-demo", verbosity=0)
    official = User.objects.filter(phone="13800009999").first() or User.objects.create_user(
        "13800009999", "bench-only-password", name="bench official", is_official=True
    )
    client = Client()
    client.force_login(official, backend="accounts.backends.SlowedDownModelBackend")
    street = Street.objects.order_by("code").first().code
    cases = [
        ("city, 30 days", "period=30d"),
        ("city, this year", "period=year"),
        ("one 街道, 30 days", f"period=30d&street={street}"),
        ("one 街道, this year", f"period=year&street={street}"),
    ]
    results = {}
    order = sorted(args.sizes, reverse=args.reuse)
    for size in order:
        if args.reuse and size == max(order) and Report.objects.count() == size:
            print(f"\n{size:,} tickets already in {DB}: measuring them")
        else:
            reset_tickets()
            start = time.perf_counter()
            generate_history(reports=size, seed=7)
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
            took = time.perf_counter() - start
            print(f"\n{size:,} tickets generated and rolled up in {took:.0f} s")
        for name, query in cases:
            p50, p95 = measure(client, query, args.runs)
            results[(size, name)] = (p50, p95)
            print(f"  {name:<22} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    if len(args.sizes) >= 2:
        small, large = min(args.sizes), max(args.sizes)
        print(f"\nratio {large:,} / {small:,} tickets (p95):")
        for name, _query in cases:
            ratio = results[(large, name)][1] / results[(small, name)][1]
            print(f"  {name:<22} {ratio:5.2f}x")


if __name__ == "__main__":
    main()
