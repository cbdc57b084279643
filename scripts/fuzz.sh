#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/fuzz_targets) for a bounded time: `scripts/fuzz.sh [seconds
# per target]` (default 60). Needs nightly Rust and cargo-fuzz, which it installs (rustup and
# the crate registry). Crashes land in fuzz/artifacts/<target>/; the script fails if any target
# found one. Each target's corpus grows in fuzz/corpus/<target>/ (gitignored).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
say() { printf '\033[1m[fuzz]\033[0m %s\n' "$*"; }
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
if [ ! -x .tools/bin/cargo-fuzz ]; then
  say "installing cargo-fuzz into .tools/"
  cargo install cargo-fuzz --version 0.13.2 --root .tools
fi
export PATH="$PWD/.tools/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target/fuzz}
# The tokenizer target reads the tiktoken package's rank tables.
[ -d node_modules/tiktoken ] || npm ci --no-audit --no-fund
cd fuzz
cargo +nightly fuzz build -O
failed=()
for target in $(cargo +nightly fuzz list); do
  say "$target for ${seconds}s"
  mkdir -p "corpus/$target"
  if ! cargo +nightly fuzz run -O "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 2>&1 | tail -4; then
    failed+=("$target")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  say "crashes in: ${failed[*]} (inputs in fuzz/artifacts/)"
  exit 1
fi
say "no crash in $(cargo +nightly fuzz list | wc -l) targets, ${seconds}s each"
