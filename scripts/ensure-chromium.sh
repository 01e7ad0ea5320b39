#!/usr/bin/env bash
# The end-to-end tests drive Debian's Chromium (never a downloaded browser: none can be fetched on CI).
# Runs before `npm test`: installs it where that is possible (root with apt-get, as on CI), else says what to do.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$browser" ] && exit 0
if [ -z "${CHROMIUM_PATH:-}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the end-to-end tests…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
  exit 0
fi
echo "npm test needs Chromium at $browser: run \`sudo apt-get install -y chromium\`, or set CHROMIUM_PATH." >&2
exit 1
