"""The embedded demo (SQLite, no Redis, several web processes): limits counted once across the
processes, and SQLite set up so that writers queue instead of failing with "database is locked"."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_demo_python(code: str, var_dir: Path) -> str:
    """Run `code` in a fresh process with the demo's settings (as `make demo` sets them)."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(var_dir),
        "DEBUG": "true",
        "YIMA_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "yima_gov.settings",
    }
    prologue = "import django, json; django.setup()\n"
    done = subprocess.run(
        [sys.executable, "-c", prologue + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_limit_counted_in_one_web_process_is_seen_by_another(tmp_path):
    # Two processes in turn, as two gunicorn workers answering one client's requests.
    count = (
        "from django.core.cache import cache\n"
        "seen = cache.get('anon-submit-probe', [])\n"
        "cache.set('anon-submit-probe', seen + [1], 60)\n"
        "print(len(seen) + 1)\n"
    )
    assert run_demo_python(count, tmp_path) == "1"
    assert run_demo_python(count, tmp_path) == "2"


def test_the_demo_database_queues_writers_instead_of_failing(tmp_path):
    probe = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); mode = c.fetchone()[0]\n"
        "print(json.dumps({'mode': mode, 'options': connection.settings_dict['OPTIONS']}))\n"
    )
    found = json.loads(run_demo_python(probe, tmp_path))
    assert found["mode"] == "wal"  # readers never wait for the writer
    assert found["options"]["transaction_mode"] == "IMMEDIATE"
    assert found["options"]["timeout"] >= 20
