"""gunicorn config for bench/submit.py: per-request CPU, time and queries as the server sees them.

Each request is counted under its X-Bench-Run header (the bench names its runs). In the handling
thread, pre_request and post_request read the thread's CPU clock (what this request cost, whatever
the other threads did meanwhile) and the wall clock; a wrapper on every database connection counts
queries. Each worker appends its totals to YIMA_BENCH_STATS as one JSON line when it exits.
"""

import json
import os
import threading
import time

_local = threading.local()
_lock = threading.Lock()
_totals: dict[str, list] = {}  # run → [requests, cpu seconds, wall seconds, queries]


def _count_query(execute, sql, params, many, context):
    _local.queries = getattr(_local, "queries", 0) + 1
    return execute(sql, params, many, context)


def post_worker_init(worker):
    from django.db.backends.signals import connection_created

    def install(sender, connection, **kwargs):
        if _count_query not in connection.execute_wrappers:
            connection.execute_wrappers.append(_count_query)

    connection_created.connect(install, weak=False)


def pre_request(worker, req):
    _local.cpu = time.thread_time()
    _local.wall = time.perf_counter()
    _local.queries = 0


def post_request(worker, req, environ, resp):
    run = environ.get("HTTP_X_BENCH_RUN", "-")
    cpu = time.thread_time() - _local.cpu
    wall = time.perf_counter() - _local.wall
    with _lock:
        totals = _totals.setdefault(run, [0, 0.0, 0.0, 0])
        totals[0] += 1
        totals[1] += cpu
        totals[2] += wall
        totals[3] += _local.queries


def worker_exit(server, worker):
    path = os.environ.get("YIMA_BENCH_STATS")
    if path:
        with open(path, "a") as out:
            out.write(json.dumps({"pid": os.getpid(), "runs": _totals}) + "\n")
