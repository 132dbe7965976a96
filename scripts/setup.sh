#!/usr/bin/env bash
# Install whatever is missing to build, run and test the console. Idempotent:
# every item is checked first, so a second run takes a few seconds.
#
#   apt:    chromium chromium-driver brotli curl nginx openssl (+ python3-venv if
#           venv is missing); nginx only runs in the relay e2e test, never as a service
#   rustup: wasm32-unknown-unknown target, rustfmt, clippy
#   cargo:  trunk 0.21.14, wasm-bindgen-cli == wasm-bindgen in Cargo.lock
#           (cargo fetch too: Trunk builds with --offline)
#   npm:    .tools/ (binaryen's wasm-opt, esbuild, playwright-core), from .tools/package-lock.json
#   python: .venv with emulator/requirements.txt (redone when the file changes),
#           .venv-lint with deploy/requirements.txt (cfn-lint)
#
# Never downloads a browser or prebuilt binaries of its own; Chromium is Debian's.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

say() { printf 'setup: %s\n' "$*"; }
installing() { printf 'setup: installing %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
sha() { sha256sum "$@" | sha256sum | cut -c1-64; }

# --- Debian packages ---------------------------------------------------------
apt_missing=()
for pkg in chromium chromium-driver brotli curl nginx openssl; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || apt_missing+=("$pkg")
done
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  apt_missing+=(python3-venv)
fi
if [ ${#apt_missing[@]} -gt 0 ]; then
  installing "apt packages: ${apt_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi

# --- Rust toolchain pieces ----------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  installing "rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for comp in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$comp"; then
    installing "rust component $comp"
    rustup component add "$comp"
  fi
done

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  installing "trunk $TRUNK_VERSION (cargo install, several minutes)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

WB_VERSION="$(lock_version wasm-bindgen)"
if [ -z "$WB_VERSION" ]; then
  say "no wasm-bindgen in Cargo.lock: run 'cargo generate-lockfile'" >&2
  exit 1
fi
if ! grep -q "^wasm_bindgen = \"$WB_VERSION\"" Trunk.toml; then
  say "Trunk.toml [tools] wasm_bindgen must be \"$WB_VERSION\" (the version in Cargo.lock)" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ] \
  || [ "$(wasm-bindgen-test-runner --version 2>/dev/null || true)" != "wasm-bindgen-test-runner $WB_VERSION" ]; then
  # not --locked: wasm-bindgen-cli's own lockfile does not build on this toolchain
  installing "wasm-bindgen-cli $WB_VERSION (cargo install, several minutes)"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

# crates for the builds (Trunk passes --offline to cargo); fast when cached
stamp=target/.setup-fetch.sha256
want="$(sha Cargo.toml Cargo.lock)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  say "fetching crates (cargo fetch)"
  cargo fetch --quiet
  mkdir -p target && sha Cargo.toml Cargo.lock >"$stamp"
fi

# --- npm tools in .tools/ -----------------------------------------------------
stamp=.tools/node_modules/.setup.sha256
want="$(sha .tools/package.json .tools/package-lock.json)"
if [ ! -x .tools/node_modules/.bin/wasm-opt ] || [ ! -x .tools/node_modules/.bin/esbuild ] \
  || [ ! -d .tools/node_modules/playwright-core ] \
  || [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  installing "npm tools in .tools (npm ci: binaryen, esbuild, playwright-core)"
  (cd .tools && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi
WASM_OPT_VERSION="$(sed -n 's/^wasm_opt = "\(.*\)"/\1/p' Trunk.toml)"
if ! wasm-opt --version | grep -q "($WASM_OPT_VERSION)"; then
  say "wasm-opt on PATH ($(wasm-opt --version)) is not Trunk.toml's $WASM_OPT_VERSION" >&2
  exit 1
fi
# esbuild minifies the JS glue in the post_build hook (scripts/pack-dist.py)
ESBUILD_VERSION="$(sed -n 's/^ *"esbuild": "\(.*\)",\{0,1\}$/\1/p' .tools/package.json)"
if [ "$(esbuild --version 2>/dev/null || true)" != "$ESBUILD_VERSION" ]; then
  say "esbuild on PATH ($(esbuild --version 2>&1 || true)) is not .tools/package.json's $ESBUILD_VERSION" >&2
  exit 1
fi

# --- Python venvs: the emulator's, and cfn-lint's (deploy/cloudfront.yaml) ------
# python_venv VENV REQUIREMENTS: (re)install when missing or when the file changed
python_venv() {
  local venv="$1" requirements="$2" stamp="$1/.requirements.sha256" want
  want="$(sha "$requirements")"
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    installing "python venv ${venv#"$ROOT"/} ($requirements)"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$want" >"$stamp"
  fi
}
python_venv "$PYTHON_VENV" emulator/requirements.txt
python_venv "$LINT_VENV" deploy/requirements.txt

say "ok (trunk $TRUNK_VERSION, wasm-bindgen $WB_VERSION, wasm-opt $WASM_OPT_VERSION, esbuild $ESBUILD_VERSION, $(chromium --version 2>/dev/null | head -1))"
