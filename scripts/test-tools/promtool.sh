# promtool (`promtool check metrics`), from Debian's `prometheus` package: the binary is static, so the
# package is downloaded and unpacked, not installed. Sourced by scripts/test-servers.
PROMTOOL_VERSION=2.42.0+ds-5+deb12u1
PROMTOOL_DIR=$CACHE/promtool-$PROMTOOL_VERSION

# `apt-get download` one package version; on a machine whose package lists are older, refresh them once.
debian_download() {
  apt-get download -q "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get download -q "$1" >/dev/null; }
}

build_promtool() {
  [ -x "$PROMTOOL_DIR/promtool" ] && return
  printf '[test-servers] %s\n' "fetching promtool (Debian prometheus $PROMTOOL_VERSION, once)" >&2
  local tmp; tmp=$(mktemp -d) && chmod 755 "$tmp" # apt downloads as _apt
  (cd "$tmp" && debian_download "prometheus=$PROMTOOL_VERSION" && dpkg-deb -x prometheus_*.deb root)
  mkdir -p "$PROMTOOL_DIR" && install -m755 "$tmp/root/usr/bin/promtool" "$PROMTOOL_DIR/promtool"
  rm -rf "$tmp"
}

env_promtool() {
  printf "export DBFORK_TEST_PROMTOOL_BIN='%s'\n" "$PROMTOOL_DIR/promtool"
}
