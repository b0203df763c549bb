#!/usr/bin/env bash
# Run the embedded platform in the foreground: web server, Celery worker and beat on a broker that
# needs no server (Kombu's filesystem transport). Ctrl-C stops everything this script started.
set -euo pipefail
export DEBUG=true SECURE_SSL_REDIRECT=false
BIN=${BIN:-.venv/bin}
PORT=${PORT:-8000}
mkdir -p var/broker/queue var/broker/processed var/log

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "stopping..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

# The worker is supervised: if it dies (a broker outage it cannot survive, an out-of-memory kill)
# it is started again after 2 s, and the restart is logged. Nothing is lost meanwhile: reports
# wait in the database and the sweep re-rings their doorbells.
: >var/log/worker.log
(
  trap 'kill "$child" 2>/dev/null; exit 0' INT TERM
  while true; do
    "$BIN/celery" -A yima_gov worker --pool=solo --loglevel=INFO >>var/log/worker.log 2>&1 &
    child=$!
    wait "$child" || true
    echo "$(date '+%F %T') worker exited; restarting in 2 s" >>var/log/worker.log
    sleep 2
  done
) &
pids+=($!)
"$BIN/celery" -A yima_gov beat --loglevel=INFO >var/log/beat.log 2>&1 &
pids+=($!)
"$BIN/gunicorn" yima_gov.wsgi --bind "127.0.0.1:$PORT" --workers 2 --threads 4 \
  --control-socket "$PWD/var/gunicorn-$PORT.ctl" \
  --access-logfile - >var/log/web.log 2>&1 &
pids+=($!)

echo
echo "义马 全域网格 is running on http://127.0.0.1:$PORT  (logs in var/log/, Ctrl-C to stop)"
echo "Demo logins: see the list printed above (password yima2026)."
wait -n "${pids[@]}"
echo "a process stopped; see var/log/"
