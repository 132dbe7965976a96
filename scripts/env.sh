# Sourced by the scripts in scripts/: repo root, tool paths, shared settings.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
# project tools first: wasm-opt (binaryen) from .tools, then cargo-installed
# trunk / wasm-bindgen
export PATH="$ROOT/.tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER:-wasm-bindgen-test-runner}"
# wasm-bindgen-test-runner's per-test timeout (seconds)
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
export TRUNK_VERSION="0.21.14"
export PYTHON_VENV="$ROOT/.venv"
# cfn-lint for deploy/cloudfront.yaml, apart from the emulator's venv
export LINT_VENV="$ROOT/.venv-lint"

# The wasm-bindgen version in Cargo.lock (wasm-bindgen-cli must match it exactly).
lock_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}
