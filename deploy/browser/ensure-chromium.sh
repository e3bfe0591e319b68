#!/usr/bin/env bash
# Prints the path of a headless-capable Chromium, installing Debian's package first when none is on the machine.
# Browser tests (the TypeScript SDK's page, the OFREP web provider) call this, so a fresh machine needs nothing by hand.
# ABTEST_CHROMIUM overrides the path. Exit status 3 when no browser can be had (no apt, no root, no network).
set -euo pipefail
if [[ -n "${ABTEST_CHROMIUM:-}" ]]; then echo "$ABTEST_CHROMIUM"; exit 0; fi
for c in chromium chromium-browser google-chrome; do
  if p=$(command -v "$c"); then echo "$p"; exit 0; fi
done
as_root=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then as_root=(sudo -n); else
    echo "ensure-chromium: no chromium and no root to install it (set ABTEST_CHROMIUM)" >&2; exit 3; fi
fi
# one installer at a time: two test JVMs may ask at once
exec 9>/tmp/abtest-ensure-chromium.lock
flock 9
if ! command -v chromium >/dev/null; then
  echo "ensure-chromium: installing Debian's chromium (once per machine)" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get -qq update >&2 || true
  "${as_root[@]}" apt-get -qq install -y --no-install-recommends chromium >&2 || { echo "ensure-chromium: apt-get failed" >&2; exit 3; }
fi
command -v chromium
