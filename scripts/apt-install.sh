# Sourced by the ensure-*.sh scripts: installs Debian packages when running as root with
# apt-get, else says what to install and fails.
#   apt_install_or_explain "<how to get them otherwise>" package…
apt_install_or_explain() {
  local hint=$1; shift
  [ $# -gt 0 ] || return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing $* from Debian…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  else
    echo "Missing: $*." >&2
    echo "$hint" >&2
    return 1
  fi
}
