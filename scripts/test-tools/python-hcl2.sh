# python-hcl2 (an HCL2 parser, from PyPI) in a venv: parses the Terraform example of deploy/aws/terraform/
# without downloading providers. Sourced by scripts/test-servers (CACHE and log come from there).
PYTHON_HCL2_VERSION=8.1.4
PYTHON_HCL2_VENV=$CACHE/python-hcl2-$PYTHON_HCL2_VERSION

build_python_hcl2() {
  [ -x "$PYTHON_HCL2_VENV/bin/python" ] && [ -f "$PYTHON_HCL2_VENV/.complete" ] && return
  log "installing python-hcl2 $PYTHON_HCL2_VERSION (once)"
  # venv scripts embed their path: build in place, mark complete last.
  rm -rf "$PYTHON_HCL2_VENV"
  python3 -m venv "$PYTHON_HCL2_VENV"
  "$PYTHON_HCL2_VENV/bin/pip" install --quiet --disable-pip-version-check "python-hcl2==$PYTHON_HCL2_VERSION"
  touch "$PYTHON_HCL2_VENV/.complete"
}

env_python_hcl2() {
  printf "export DBFORK_TEST_PYTHON_HCL2_PYTHON='%s'\n" "$PYTHON_HCL2_VENV/bin/python"
}
