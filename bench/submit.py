"""Report submissions per second through gunicorn on PostgreSQL, against a plain upload view.

    .venv/bin/python bench/submit.py [--seconds 30] [--clients 12] [--workers 2] [--threads 8]

Creates (drops first) the database `yima_bench`, migrates and seeds it, collects static files,
starts gunicorn on 127.0.0.1:6411 with YIMA_BENCH_VIEWS=1, and drives concurrent clients (threads
with keep-alive http.client connections) posting a 1 MB JPEG for --seconds each to:
  1. POST /api/v1/reports/  (the full submit_report: decode, re-encode, grid lookup, ticket number,
     report + photo + event in one transaction, thumbnail and dispatch queued on commit);
  2. POST /bench/store/     (a plain Django view that only stores the same upload).
Prints reports/s, p50 and p95 latency for both and the ratio, then the report page's first-load
transfer size (HTML + CSS + JS + what the CSS references, gzip as whitenoise serves it; no tiles).
Uses Redis DB 2 (this bench's own) as broker and cache and flushes it afterwards.
"""

import argparse
import gzip
import http.client
import io
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
import uuid
from pathlib import Path

import psycopg2
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST, PORT = "127.0.0.1", 6411
DB = "yima_bench"
REDIS = "redis://127.0.0.1:6379/2"
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


def multipart(fields: dict, photo: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; '
            f'filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        ).encode()
        + photo
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


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


def drive(path: str, photo: bytes, *, seconds: float, clients: int, unique: bool) -> dict:
    """Post for `seconds` from `clients` threads; returns count, errors, rate and latencies."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    fields = {"category": "01001", "lon": LON, "lat": LAT, "description": "bench"}

    def client(index: int) -> None:
        conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        mine, errs = [], []
        n = 0
        while time.monotonic() < stop_at:
            n += 1
            # Each report gets different bytes (a changed comment marker), so no two share a hash.
            body_photo = (
                photo[:2] + b"\xff\xfe\x00\x0a" + f"{index:03d}{n:05d}".encode() + photo[2:]
            )
            body, ctype = multipart(fields, body_photo if unique else photo)
            started = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers={"Content-Type": ctype})
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

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    return {
        "count": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "rate": len(latencies) / elapsed,
        "p50": quantiles[49] * 1000,
        "p95": quantiles[94] * 1000,
    }


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
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="yima_bench_"))
    env = bench_env(var_dir)
    print(f"setting up database {DB} and static files in {var_dir} …", flush=True)
    recreate_database()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_yima")
    manage(env, "collectstatic", "--noinput", "-v0")

    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "yima_gov.wsgi",
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
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_until_up()
        photo = one_megabyte_jpeg()
        print(
            f"photo: {len(photo) / 1e6:.2f} MB JPEG 1600x1200; {args.clients} clients; "
            f"gunicorn {args.workers} workers x {args.threads} threads",
            flush=True,
        )
        drive("/api/v1/reports/", photo, seconds=3, clients=args.clients, unique=True)  # warm-up
        full = drive(
            "/api/v1/reports/", photo, seconds=args.seconds, clients=args.clients, unique=True
        )
        plain = drive(
            "/bench/store/", photo, seconds=args.seconds, clients=args.clients, unique=True
        )
        for name, r in (("submit_report (API)", full), ("plain upload view", plain)):
            print(
                f"{name:22s} {r['rate']:7.1f} req/s  p50 {r['p50']:6.0f} ms  p95 {r['p95']:6.0f} ms"
                f"  ({r['count']} ok, {r['errors']} errors {r['error_kinds']})"
            )
        print(f"ratio submit/plain: {full['rate'] / plain['rate']:.2f}")

        rows = first_load_size()
        for path, sent, plain_size in rows:
            print(f"  {path:55s} {sent / 1024:7.1f} KB sent ({plain_size / 1024:.1f} KB raw)")
        total = sum(sent for _, sent, _ in rows)
        raw_total = sum(p for _, _, p in rows)
        print(
            f"report page first load: {total / 1024:.1f} KB transferred ({raw_total / 1024:.1f} KB uncompressed)"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        subprocess.run(["redis-cli", "-n", "2", "FLUSHDB"], check=False, capture_output=True)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
