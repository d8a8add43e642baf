# kubernetes-validate (the Kubernetes OpenAPI schemas per version, from PyPI), with jsonschema (validates
# the vendored CRD schemas in deploy/schemas/) and dockerfile-parse (checks the Dockerfile without a Docker
# engine), in one venv. Sourced by scripts/test-servers (CACHE and log come from there).
KUBERNETES_VALIDATE_VERSION=1.37.0
KUBERNETES_VALIDATE_VENV=$CACHE/kubernetes-validate-$KUBERNETES_VALIDATE_VERSION
KUBERNETES_VALIDATE_PACKAGES=("kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" "jsonschema==4.26.0" "dockerfile-parse==2.0.1")

build_kubernetes_validate() {
  [ -x "$KUBERNETES_VALIDATE_VENV/bin/kubernetes-validate" ] && [ -f "$KUBERNETES_VALIDATE_VENV/.complete" ] && return
  log "installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION, jsonschema and dockerfile-parse (once)"
  # venv scripts embed their path: build in place, mark complete last.
  rm -rf "$KUBERNETES_VALIDATE_VENV"
  python3 -m venv "$KUBERNETES_VALIDATE_VENV"
  "$KUBERNETES_VALIDATE_VENV/bin/pip" install --quiet --disable-pip-version-check "${KUBERNETES_VALIDATE_PACKAGES[@]}"
  touch "$KUBERNETES_VALIDATE_VENV/.complete"
}

env_kubernetes_validate() {
  printf "export DBFORK_TEST_KUBERNETES_VALIDATE_BIN='%s'\n" "$KUBERNETES_VALIDATE_VENV/bin/kubernetes-validate"
  printf "export DBFORK_TEST_KUBERNETES_VALIDATE_PYTHON='%s'\n" "$KUBERNETES_VALIDATE_VENV/bin/python"
}
