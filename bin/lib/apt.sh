# Sourced by bin/ scripts: installs Debian packages quietly; apt's chatter (debconf, needrestart)
# goes to a log that is printed only when the install fails.
apt_install() {
  local log
  log="$(mktemp /tmp/lightd-apt-XXXX.log)"
  if ! { DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get update -qq \
         && DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y -qq "$@"; } >"$log" 2>&1; then
    echo "apt-get install $* failed:" >&2
    cat "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}
