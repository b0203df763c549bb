"""Settings fail fast on bad values, and production settings pass Django's deploy checks."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k3Jx9-production-like-secret-Qw7pLm2Zr8Tn4Vb6Yc1Hs5Df0Gj3Ka9Xe2Uo7Ri4"


def production_env(tmp_path, **overrides) -> dict:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "yima_gov.settings",
        "YIMA_VAR_DIR": str(tmp_path / "var"),
        "DEBUG": "false",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "wangge.yima.gov.cn",
        "DATABASE_URL": "postgres://yima:pw@db:5432/yima",
        "REDIS_URL": "redis://redis:6379/0",
        "CELERY_BROKER_URL": "redis://redis:6379/0",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    "overrides, named",
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"DATABASE_URL": "garbage"}, "DATABASE_URL"),
        ({"CELERY_BROKER_URL": "ftp://broker.example/0"}, "CELERY_BROKER_URL"),
        ({"AXES_FAILURE_LIMIT": "five"}, "AXES_FAILURE_LIMIT"),
        ({"CELERY_VISIBILITY_TIMEOUT": "1"}, "CELERY_VISIBILITY_TIMEOUT"),
        ({"MAP_TILE_CRS": "bd09"}, "MAP_TILE_CRS"),
        ({"MAP_TILES": "google"}, "MAP_TILES"),
        ({"MAP_TILES": "tianditu-vector"}, "MAP_TILE_KEY"),
        ({"MAP_TILES": "custom"}, "MAP_TILE_URL"),
    ],
    ids=["debug-maybe", "no-secret-key", "database-url-garbage", "broker-scheme", "bad-int", "int-too-small", "bad-choice", "unknown-tiles", "tianditu-without-key", "custom-without-url"],
)  # fmt: skip
def test_importing_settings_with_a_bad_value_fails_naming_the_variable(tmp_path, overrides, named):
    result = run(["-c", "import yima_gov.settings"], production_env(tmp_path, **overrides))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


def test_production_settings_import_cleanly(tmp_path):
    result = run(["-c", "import yima_gov.settings"], production_env(tmp_path))
    assert result.returncode == 0, result.stderr


def test_deploy_checks_report_nothing_with_production_settings(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
