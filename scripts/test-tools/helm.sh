# Helm v3, built from the Go module proxy: `helm lint` and `helm template` check deploy/helm/dbfork.
# Sourced by scripts/test-servers (CACHE, log and the Go environment come from there).
HELM_VERSION=v3.22.0
HELM_DIR=$CACHE/helm-$HELM_VERSION

build_helm() {
  [ -x "$HELM_DIR/helm" ] && return
  log "building helm $HELM_VERSION (once)"
  local gobin; gobin=$(mktemp -d)
  GOBIN=$gobin go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  mkdir -p "$HELM_DIR" && install -m755 "$gobin/helm" "$HELM_DIR/helm"
  rm -rf "$gobin"
}

env_helm() {
  printf "export DBFORK_TEST_HELM_BIN='%s'\n" "$HELM_DIR/helm"
}
