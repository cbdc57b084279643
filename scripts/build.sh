#!/usr/bin/env bash
# Builds both backends into npm/bridle: the wasm module (release, wasm profile, then
# wasm-bindgen) into wasm/, the Node addon (napi-rs CLI) into native/, and the CommonJS entry
# into dist/. Cargo shares one target directory, so rebuilds are incremental.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1m[build]\033[0m %s\n' "$*"; }
target_dir=${CARGO_TARGET_DIR:-target}

say "wasm modules (main, guard, model, tokens)"
# One crate, four modules: the guardrails, the model providers and the tokenizer are modules
# of their own (features guard-module, model-module and tokens-module).
for side in guard model tokens; do
  cargo build --quiet -p bridle-wasm --target wasm32-unknown-unknown --profile wasm --no-default-features --features "$side-module"
  .tools/bin/wasm-bindgen --target web --out-dir npm/bridle/wasm --out-name "bridle_$side" --no-typescript \
    --remove-name-section --remove-producers-section \
    "$target_dir/wasm32-unknown-unknown/wasm/bridle_wasm.wasm"
done
cargo build --quiet -p bridle-wasm --target wasm32-unknown-unknown --profile wasm
.tools/bin/wasm-bindgen --target web --out-dir npm/bridle/wasm --no-typescript \
  --remove-name-section --remove-producers-section \
  "$target_dir/wasm32-unknown-unknown/wasm/bridle_wasm.wasm"

# wasm-bindgen's glue tells a compiled module from bytes with `instanceof WebAssembly.Module`,
# which is false for a module compiled in another realm (`vercel dev` compiles edge functions'
# `.wasm?module` imports in Node's realm): use the brand check that works across realms.
for glue in npm/bridle/wasm/bridle_*.js; do
  grep -q 'module instanceof WebAssembly.Module' "$glue" || { echo "build: no instanceof check left to patch in $glue" >&2; exit 1; }
  sed -i "s/module instanceof WebAssembly.Module/Object.prototype.toString.call(module) === '[object WebAssembly.Module]'/g" "$glue"
done

say "native addon"
npx napi build --platform --release --manifest-path bindings-node/Cargo.toml \
  --package-json-path bindings-node/package.json --output-dir npm/bridle/native \
  --no-js --dts binding.d.ts >/dev/null

say "CommonJS entry"
node scripts/build-cjs.mjs
