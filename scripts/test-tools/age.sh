# shellcheck shell=bash
# The real age CLI (age, age-keygen), for interoperability tests of dbfork's age encryption.
# Built from the Go module proxy; v1.3.2 is the newest version it serves (`go list -m -versions filippo.io/age`).
AGE_VERSION=v1.3.2

build_age() {
  local dir="$CACHE/age-$AGE_VERSION"
  [ -x "$dir/age" ] && [ -x "$dir/age-keygen" ] && return
  log "building age $AGE_VERSION (age, age-keygen; once)"
  local gobin; gobin=$(mktemp -d)
  GOBIN=$gobin GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
    go install -trimpath "filippo.io/age/cmd/age@$AGE_VERSION" "filippo.io/age/cmd/age-keygen@$AGE_VERSION"
  mkdir -p "$dir"
  install -m755 "$gobin/age" "$dir/age"
  install -m755 "$gobin/age-keygen" "$dir/age-keygen"
  rm -rf "$gobin"
}

env_age() {
  printf "export DBFORK_TEST_AGE_BIN='%s'\n" "$CACHE/age-$AGE_VERSION/age"
  printf "export DBFORK_TEST_AGE_KEYGEN_BIN='%s'\n" "$CACHE/age-$AGE_VERSION/age-keygen"
}
