# shellcheck shell=bash
# Toxiproxy (server and CLI), the fault-injection TCP proxy the reliability tests put between dbfork and
# FerretDB (resets, stalls, latency, bandwidth caps). Built from the Go module proxy; v2.5.0 is the newest
# version it serves (`go list -m -versions github.com/Shopify/toxiproxy/v2`). The tests start the server
# themselves on a free port and create proxies through its HTTP API.
TOXIPROXY_VERSION=v2.5.0

build_toxiproxy() {
  local dir="$CACHE/toxiproxy-$TOXIPROXY_VERSION"
  [ -x "$dir/toxiproxy-server" ] && [ -x "$dir/toxiproxy-cli" ] && return
  log "building toxiproxy $TOXIPROXY_VERSION (server, cli; once)"
  local gobin; gobin=$(mktemp -d)
  GOBIN=$gobin GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
    go install -trimpath "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION" \
    "github.com/Shopify/toxiproxy/v2/cmd/cli@$TOXIPROXY_VERSION"
  mkdir -p "$dir"
  install -m755 "$gobin/server" "$dir/toxiproxy-server"
  install -m755 "$gobin/cli" "$dir/toxiproxy-cli"
  rm -rf "$gobin"
}

env_toxiproxy() {
  printf "export DBFORK_TEST_TOXIPROXY_BIN='%s'\n" "$CACHE/toxiproxy-$TOXIPROXY_VERSION/toxiproxy-server"
  printf "export DBFORK_TEST_TOXIPROXY_CLI_BIN='%s'\n" "$CACHE/toxiproxy-$TOXIPROXY_VERSION/toxiproxy-cli"
}
