# Sourced by run.sh and test.sh: installs what a fresh Debian machine lacks, and only that.

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

_apt_updated=0
apt_install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || fail "need to install $* but not root and no sudo: install them yourself (apt-get install -y $*)"
    sudo="sudo"
  fi
  command -v apt-get >/dev/null || fail "need $* and this machine has no apt-get: install them with your package manager"
  if [ "$_apt_updated" = 0 ]; then
    step "apt-get update"
    $sudo apt-get update -qq || fail "apt-get update failed"
    _apt_updated=1
  fi
  step "Installing $*"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null || fail "apt-get install $* failed"
}

ensure_native_servers() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    apt_install "${missing[@]}"
  fi
}

ensure_node() {
  command -v npm >/dev/null && command -v node >/dev/null && return 0
  apt_install nodejs npm
}

# The web app's end-to-end tests drive the distribution's Chromium (never a browser `playwright install` downloads).
ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium
}

ensure_dotnet() {
  command -v dotnet >/dev/null || fail "the .NET SDK is not installed (global.json asks for 10.0.401)"
}

ensure_dotnet
