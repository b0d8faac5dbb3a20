#!/usr/bin/env bash
# Fetches the browser libraries relaydesk serves itself (Swagger UI for /docs, Chart.js for the
# dashboard, axe-core for the accessibility tests) from npm, pinned by web/package-lock.json, and
# copies what the pages load into src/relaydesk/web/static/vendor. No page loads anything from a CDN.
# Install scripts are not run (--ignore-scripts): nothing phones home during the set-up.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  echo "npm is needed to fetch the web assets; scripts/install-system-deps.sh installs it" >&2
  exit 1
fi
stamp=web/node_modules/.relaydesk-stamp
if [ ! -f "$stamp" ] || [ web/package-lock.json -nt "$stamp" ]; then
  npm ci --prefix web --ignore-scripts --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
vendor=src/relaydesk/web/static/vendor
mkdir -p "$vendor"
cp web/node_modules/swagger-ui-dist/swagger-ui-bundle.js "$vendor/"
cp web/node_modules/swagger-ui-dist/swagger-ui.css "$vendor/"
cp web/node_modules/chart.js/dist/chart.umd.js "$vendor/chart.umd.js"
cp web/node_modules/swagger-ui-dist/LICENSE "$vendor/LICENSE.swagger-ui"
cp web/node_modules/chart.js/LICENSE.md "$vendor/LICENSE.chart-js"
