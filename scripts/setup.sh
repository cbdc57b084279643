#!/usr/bin/env bash
# Installs everything the build and the tests need, idempotently, on a fresh machine:
# the wasm32 rustup target, wasm-bindgen-cli (into .tools/, at exactly the version the
# bindings-wasm crate pins), the npm packages from the committed lockfile, and with
# --browser (what only the tests need) Debian's chromium for the browser tests and a Python venv
# with Jinja2 for the differential tests.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# One source of truth for the version: the `=X.Y.Z` pin in bindings-wasm/Cargo.toml.
wasm_bindgen_version=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' bindings-wasm/Cargo.toml)
if [ -z "$wasm_bindgen_version" ]; then
  echo "setup: could not read the wasm-bindgen pin from bindings-wasm/Cargo.toml" >&2
  exit 1
fi
if ! .tools/bin/wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wasm_bindgen_version"; then
  say "installing wasm-bindgen-cli $wasm_bindgen_version into .tools/ (a few minutes, once)"
  # Not --locked: a pinned dependency of the CLI's lockfile does not resolve from the registry.
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version" --root .tools --force
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund
fi

# The differential tests' reference for Jinja: Python's Jinja2 in a venv (.tools/py).
if [ "${1:-}" = "--browser" ]; then
  tests/differential/setup-python.sh
fi

if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

# The JSON-Schema-Test-Suite that core/tests/json_schema_suite.rs runs (skips when present).
scripts/fetch-json-schema-suite.sh
