"""Real processes for the dispatcher's Celery tests: our own redis-server and Celery workers.

Each process is started in its own session, so that stopping it (or SIGKILLing it with its pool
children) touches nothing but what the test started.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))
LOG_DIR = ROOT / "var" / "test" / "dispatch-logs"


def wait_for(predicate, *, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
        return True
    return False


class RedisServer:
    """A throwaway redis-server on one of our ports (no persistence)."""

    def __init__(self, port: int):
        self.port = port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        assert not port_open(self.port), f"port {self.port} is already in use"
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(lambda: port_open(self.port), timeout=10, what=f"redis on {self.port}")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None
        wait_for(lambda: not port_open(self.port), timeout=10, what="redis to stop")


class Worker:
    """`celery -A yima_gov worker` on pytest-django's test database and a given broker."""

    def __init__(
        self,
        broker_url: str,
        *,
        concurrency: int = 2,
        extra_env: dict | None = None,
        production_flags: bool = False,
    ):
        self.broker_url = broker_url
        # production_flags: gossip and mingle on, as `docker compose` runs the worker.
        self.production_flags = production_flags
        self.name = f"h3-{uuid.uuid4().hex[:8]}@localhost"
        self.concurrency = concurrency
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = LOG_DIR / f"{self.name.split('@')[0]}.log"

    def env(self) -> dict:
        db = connection.settings_dict
        env = dict(os.environ)
        env.update(
            DATABASE_URL=f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}",
            DB_CONN_MAX_AGE="0",
            CELERY_BROKER_URL=self.broker_url,
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    def start(self) -> "Worker":
        log = open(self.log_path, "wb")  # noqa: SIM115  (the worker writes it until stopped)
        self.process = subprocess.Popen(
            [
                CELERY,
                "-A",
                "yima_gov",
                "worker",
                "-Q",
                "yima",
                "-n",
                self.name,
                f"--concurrency={self.concurrency}",
                *(() if self.production_flags else ("--without-gossip", "--without-mingle")),
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        try:
            self.wait_ready()
        except BaseException:
            self.stop()  # a worker that never answered must not outlive the test
            raise
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        from yima_gov.celery import app

        def answered():
            assert self.process.poll() is None, f"worker exited; see {self.log_path}"
            with app.connection_for_write(self.broker_url) as conn:
                return app.control.ping(destination=[self.name], timeout=0.5, connection=conn)

        wait_for(answered, timeout=timeout, interval=0.5, what=f"worker {self.name} to answer")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.process = None

    def kill(self) -> None:
        """SIGKILL the worker and its pool children: no chance to acknowledge or clean up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self.process = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class WebServer:
    """gunicorn serving the project on pytest-django's test database, as in production: several
    workers and threads, persistent database connections (DB_CONN_MAX_AGE), DEBUG off."""

    def __init__(self, *, workers: int = 2, threads: int = 4, extra_env: dict | None = None):
        self.port = free_port()
        self.workers, self.threads = workers, threads
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = LOG_DIR / f"web-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "WebServer":
        db = connection.settings_dict
        env = dict(os.environ)
        env.update(
            DATABASE_URL=f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}",
            DB_CONN_MAX_AGE="600",
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        log = open(self.log_path, "wb")  # noqa: SIM115  (gunicorn writes it until stopped)
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "yima_gov.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--control-socket",
                str(LOG_DIR / f"gunicorn-{self.port}.ctl"),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        try:
            wait_for(self._answers, timeout=60, interval=0.3, what="gunicorn to answer")
        except BaseException:
            self.stop()
            raise
        return self

    def _answers(self) -> bool:
        import urllib.request

        assert self.process.poll() is None, f"gunicorn exited; see {self.log_path}"
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.process = None


@contextlib.contextmanager
def publishing_to(broker_url: str):
    """Point this process's Celery app (what queue_routing publishes with) at another broker."""
    from yima_gov.celery import app

    keys = ("broker_url", "broker_write_url", "broker_read_url")
    saved = {key: app.conf[key] for key in keys}

    def reset():
        # Kombu keeps one pool per broker URL: forget ours, the next publish picks the URL's pool.
        app._pool = None
        app.amqp._producer_pool = None

    reset()
    app.conf.update({key: broker_url for key in keys})
    try:
        yield
    finally:
        reset()
        app.conf.update(saved)


def purge(broker_url: str) -> None:
    """Drop messages earlier tests left in the queue (their ids mean nothing to this database)."""
    from yima_gov.celery import app

    with app.connection_for_write(broker_url) as conn:
        conn.default_channel.queue_purge("yima")


def configured_broker_url() -> str:
    return settings.CELERY_BROKER_URL
