#!/usr/bin/env bash
# Makes sure a Firefox with WebGPU can run for the Firefox lane: $FIREFOX_PATH when set;
# otherwise Debian's firefox-esr and a Vulkan driver for its WebGPU (mesa's lavapipe, a
# software one, on machines without a GPU), installed when missing and running as root;
# otherwise says what to install and fails.
set -euo pipefail

need_apt=()
if [ -n "${FIREFOX_PATH:-}" ]; then
  [ -x "$FIREFOX_PATH" ] || { echo "FIREFOX_PATH=$FIREFOX_PATH is not an executable" >&2; exit 1; }
elif [ ! -x /usr/bin/firefox-esr ]; then
  need_apt+=(firefox-esr)
fi
# Any Vulkan driver will do; without one, Firefox offers no WebGPU adapter here.
if ! ls /usr/share/vulkan/icd.d/*.json >/dev/null 2>&1; then
  need_apt+=(mesa-vulkan-drivers)
fi
source "$(dirname "$0")/apt-install.sh"
apt_install_or_explain "Install them (Debian/Ubuntu: sudo apt-get install firefox-esr mesa-vulkan-drivers), or set FIREFOX_PATH to a Firefox with WebGPU." "${need_apt[@]}"
