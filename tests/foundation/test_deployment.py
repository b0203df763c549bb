"""docker-compose.yml, the Dockerfile and .env.example describe a stack that can actually start.

Docker cannot run here, so the files are read: every service's command must name a real entry
point, and .env.example must configure what production settings require.
"""

import importlib.util
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from celery import Celery

ROOT = Path(__file__).resolve().parents[2]
REQUIRED_IN_PRODUCTION = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def command(service: dict) -> str:
    cmd = service.get("command")
    return shlex.join(cmd) if isinstance(cmd, list) else str(cmd)


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def test_compose_runs_web_worker_beat_database_and_redis(compose):
    assert {"web", "worker", "beat", "db", "redis"} <= set(compose["services"])
    assert compose["services"]["db"]["image"].startswith("postgres:")
    assert compose["services"]["redis"]["image"].startswith("redis:")


def test_the_web_service_runs_gunicorn_on_our_wsgi_module(compose):
    cmd = command(compose["services"]["web"])
    assert re.match(r"gunicorn yima_gov\.wsgi\b", cmd), cmd
    assert importlib.util.find_spec("yima_gov.wsgi") is not None
    assert (Path(sys.executable).parent / "gunicorn").exists()


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_worker_and_beat_run_celery_on_our_app(compose, name):
    cmd = command(compose["services"][name])
    assert re.match(rf"celery -A yima_gov {name}\b", cmd), cmd
    from yima_gov.celery import app

    assert isinstance(app, Celery) and app.main == "yima_gov"
    assert (Path(sys.executable).parent / "celery").exists()


def test_migrations_run_before_web_and_workers_start(compose):
    assert command(compose["services"]["migrate"]).startswith("python manage.py migrate")
    for name in ("web", "worker", "beat"):
        depends = compose["services"][name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_database_and_photos_live_on_volumes(compose):
    assert {"db-data", "media"} <= set(compose["volumes"])
    assert "db-data:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    for name in ("web", "worker"):
        assert "media:/app/var/media" in compose["services"][name]["volumes"]


def test_dockerfile_builds_on_python_311_slim_with_npm_assets_and_collectstatic():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim$", text, re.M)
    assert "npm ci" in text
    assert "pip install ." in text
    assert "collectstatic --noinput" in text
    assert "YIMA_VAR_DIR=/app/var" in text  # where compose mounts the photos volume


def test_env_example_sets_every_variable_production_requires():
    values = env_example()
    missing = [name for name in REQUIRED_IN_PRODUCTION if name not in values]
    assert missing == []
    assert values["DEBUG"] == "false"
    assert values["DATABASE_URL"].startswith("postgres://") and "@db:" in values["DATABASE_URL"]
    assert values["REDIS_URL"].startswith("redis://redis:")


def test_env_example_mentions_every_variable_the_settings_read():
    source = (ROOT / "yima_gov" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env_(?:str|bool|int|list|choice)\("([A-Z0-9_]+)"', source))
    documented = set(re.findall(r"^#?\s*([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert sorted(read - documented) == []


def test_env_example_with_a_secret_filled_in_passes_the_deploy_checks(tmp_path):
    env = {**env_example(), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    env["YIMA_VAR_DIR"] = str(tmp_path / "var")
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.DEBUG)"
    )
    refused = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "yima_gov.settings"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert refused.returncode != 0 and "SECRET_KEY" in refused.stderr  # it must be filled in

    env.update(SECRET_KEY="x7Qp-" + "k9Lm2Vb8Nc4Zx6Rt1Yu3Io5Pa7Sd9Fg0Hj2Kl4" * 2)
    env["DJANGO_SETTINGS_MODULE"] = "yima_gov.settings"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.split() == [
        "django.db.backends.postgresql",
        "django_redis.cache.RedisCache",
        "False",
    ]
    checked = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--tag", "security", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
