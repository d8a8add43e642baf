# The Prometheus Pushgateway, from Debian's `prometheus-pushgateway` package: the binary is static, so
# the package is downloaded and unpacked, not installed. Tests start it on a free port themselves.
# Sourced by scripts/test-servers.
PUSHGATEWAY_VERSION=1.5.1-2+b5
PUSHGATEWAY_DIR=$CACHE/pushgateway-$PUSHGATEWAY_VERSION

# `apt-get download` one package version; on a machine whose package lists are older, refresh them once.
debian_download() {
  apt-get download -q "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get download -q "$1" >/dev/null; }
}

build_pushgateway() {
  [ -x "$PUSHGATEWAY_DIR/pushgateway" ] && return
  printf '[test-servers] %s\n' "fetching the Pushgateway (Debian prometheus-pushgateway $PUSHGATEWAY_VERSION, once)" >&2
  local tmp; tmp=$(mktemp -d) && chmod 755 "$tmp" # apt downloads as _apt
  (cd "$tmp" && debian_download "prometheus-pushgateway=$PUSHGATEWAY_VERSION" && dpkg-deb -x prometheus-pushgateway_*.deb root)
  mkdir -p "$PUSHGATEWAY_DIR" && install -m755 "$tmp/root/usr/bin/prometheus-pushgateway" "$PUSHGATEWAY_DIR/pushgateway"
  rm -rf "$tmp"
}

env_pushgateway() {
  printf "export DBFORK_TEST_PUSHGATEWAY_BIN='%s'\n" "$PUSHGATEWAY_DIR/pushgateway"
}
