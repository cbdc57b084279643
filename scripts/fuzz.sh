#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/fuzz_targets) for a bounded time: `scripts/fuzz.sh [seconds
# per target]` (default 60); `make test` runs it as a smoke test with a few seconds each. Needs
# nightly Rust and cargo-fuzz, which it installs (rustup and the crate registry).
#
# Each target first runs every input of fuzz/regressions/<target>/ (committed: inputs that
# once crashed, kept as regression tests) and of its corpus, fuzz/corpus/<target>/ (gitignored,
# seeded by fuzz/seeds.mjs from the conformance suites and test vectors, grown by each run),
# then fuzzes. A crash lands in fuzz/artifacts/<target>/ and fails the script: fix it, then
# copy the input into fuzz/regressions/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
say() { printf '\033[1m[fuzz]\033[0m %s\n' "$*"; }
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
if ! .tools/bin/cargo-fuzz --version 2>/dev/null | grep -q ' 0\.13\.2$'; then
  say "installing cargo-fuzz 0.13.2 into .tools/ (a few minutes, once)"
  cargo install cargo-fuzz --version 0.13.2 --root .tools
fi
export PATH="$PWD/.tools/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target/fuzz}
# The tokenizer target reads the tiktoken package's rank tables; the seeds read the vectors.
[ -d node_modules/tiktoken ] || npm ci --no-audit --no-fund
node fuzz/seeds.mjs fuzz/corpus
cd fuzz
started=$(date +%s)
cargo +nightly fuzz build -O
say "built in $(($(date +%s) - started))s"
failed=()
runs=0
for target in $(cargo +nightly fuzz list); do
  mkdir -p "corpus/$target" "regressions/$target"
  say "$target: $(ls "regressions/$target" | wc -l) regression inputs, $(ls "corpus/$target" | wc -l) corpus inputs, then ${seconds}s"
  log=$(mktemp)
  if cargo +nightly fuzz run -O "$target" "corpus/$target" "regressions/$target" -- \
    -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
    grep -E '^(Done|stat::number_of_executed_units)' "$log" || true
    runs=$((runs + $(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)))
  else
    tail -30 "$log"
    failed+=("$target")
  fi
  rm -f "$log"
done
if [ ${#failed[@]} -gt 0 ]; then
  say "crashes in: ${failed[*]} (inputs in fuzz/artifacts/)"
  exit 1
fi
say "no crash in $(cargo +nightly fuzz list | wc -l) targets, ${seconds}s each, $runs executions"
