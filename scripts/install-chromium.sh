#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests, unless it is already there.
# Playwright drives it through executable_path=/usr/bin/chromium, because Playwright's
# own browser download cannot run on machines that reach only package registries.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
