#!/usr/bin/env bash
# Installs the system packages and npm tools the test suite needs. Idempotent; safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
need=()
for pkg in $(grep -v '^#' .ci/apt-packages.txt); do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Node.js runs the loopback Azure stand-ins (tests/servicebus-double, tests/azurite). The machine
# image ships Node.js 20 with npm; Debian's packages are only the fallback where node is missing.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
# Their pinned npm packages (the test fixtures would install them too, on first use).
for dir in tests/servicebus-double tests/azurite; do
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
