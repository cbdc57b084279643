#!/usr/bin/env bash
# What each template engine costs in the .wasm: builds the module with one engine feature set
# after another (release, wasm profile, wasm-bindgen as shipped) and prints raw and gzip sizes.
# Not part of the test run (each build takes a minute); the full build's size is checked by
# tests/build/wasm-size.test.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '| engines | raw | gzip |\n|---|---:|---:|\n'
for features in "" "mustache" "mustache handlebars" "jinja" "mustache handlebars jinja"; do
  cargo build --quiet -p bridle-wasm --target wasm32-unknown-unknown --profile wasm --no-default-features --features "$features"
  .tools/bin/wasm-bindgen --target web --out-dir "$out" --no-typescript --remove-name-section --remove-producers-section \
    "$target_dir/wasm32-unknown-unknown/wasm/bridle_wasm.wasm"
  raw=$(stat -c %s "$out/bridle_wasm_bg.wasm")
  gz=$(gzip -9 -c "$out/bridle_wasm_bg.wasm" | wc -c)
  printf '| fstring %s | %s KB | %s KB |\n' "$features" "$((raw / 1024))" "$((gz / 1024))"
done
# Leave the shipped (default) build in place for the next test run.
cargo build --quiet -p bridle-wasm --target wasm32-unknown-unknown --profile wasm
