#!/usr/bin/env bash
# Make sure the services the test suite needs are up: start an installed one that is stopped, and
# fail with a clear message when one is missing.
set -euo pipefail

fail() { echo "make test: $1" >&2; exit 1; }

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "PostgreSQL is stopped; starting it"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    pg_isready -q -h 127.0.0.1 -p 5432 || fail "PostgreSQL did not start on 127.0.0.1:5432."
  else
    fail "PostgreSQL is not installed. Install it (Debian: apt-get install postgresql) and allow trust auth for 127.0.0.1, or set up a server on 127.0.0.1:5432."
  fi
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "Redis is stopped; starting it"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
    redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || fail "Redis did not start on 127.0.0.1:6379."
  else
    fail "Redis is not installed. Install it (Debian: apt-get install redis-server)."
  fi
fi
echo "services: PostgreSQL and Redis are up"
