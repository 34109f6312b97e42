#!/usr/bin/env bash
# Makes sure a Chrome and (for headed runs without a display) Xvfb are available.
# Uses $CHROME_PATH when set; otherwise /usr/bin/chromium, installing Debian's chromium
# and xvfb when missing and running as root; otherwise says what to install and fails.
set -euo pipefail

need_apt=()
if [ -n "${CHROME_PATH:-}" ]; then
  [ -x "$CHROME_PATH" ] || { echo "CHROME_PATH=$CHROME_PATH is not an executable" >&2; exit 1; }
elif [ ! -x /usr/bin/chromium ]; then
  need_apt+=(chromium)
fi
if [ -z "${DISPLAY:-}" ] && ! command -v xvfb-run >/dev/null 2>&1; then
  need_apt+=(xvfb xauth)
fi
source "$(dirname "$0")/apt-install.sh"
apt_install_or_explain "Install them (Debian/Ubuntu: sudo apt-get install chromium xvfb), or set CHROME_PATH to a Chrome 113+ binary and run with a display." "${need_apt[@]}"
