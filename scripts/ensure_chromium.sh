#!/usr/bin/env bash
# The browser tests drive Debian's Chromium; install it from apt when it is missing (never a
# browser download by a test tool).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing; installing Debian's chromium package"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "make test: Chromium is missing. Install Debian's package: sudo apt-get install chromium" >&2
  exit 1
fi
