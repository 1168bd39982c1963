#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK (idempotent; quick when everything is there).
# socat: pseudo-terminal pairs for the serial monitor tests; chromium: headless renders of `micro report`'s and `micro verify`'s pages.
set -euo pipefail
need=()
command -v socat >/dev/null 2>&1 || need+=(socat)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "tests/setup.sh: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# The nanoCLR tests (tests/Micro.Nano.Tests) need ../shared/nanoframework; without it they report skipped.
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${MICRO_SHARED:-}" ] && [ ! -x "$root/../shared/nanoframework/nf" ]; then
  echo "tests/setup.sh: no ../shared/nanoframework beside $root: the nanoCLR tests will be skipped"
fi
