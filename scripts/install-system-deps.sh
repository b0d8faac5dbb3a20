#!/usr/bin/env bash
# Installs what the test suite runs against when it is missing: PostgreSQL and Redis (real
# services), Chromium (the pages are tested in a real browser) and npm (the pages' libraries).
set -euo pipefail

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)  # the pages' tests drive a real browser
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)      # the pages' browser libraries come from npm

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing Debian packages: ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "Please install these packages (as root): ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# The packages start system-wide services; the tests start their own throwaway ones instead.
for service in postgresql redis-server; do
  $SUDO service "$service" stop >/dev/null 2>&1 || true
done
