#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/fuzz_targets) for a bounded time: `scripts/fuzz.sh [seconds
# per target]` (default 60), with cargo-fuzz (AddressSanitizer) on nightly Rust, both of which it
# installs (rustup and the crate registry). `scripts/fuzz.sh --smoke [seconds]` is what
# `make test` runs: the same targets built by stable cargo (see below), a few seconds each.
#
# Each target first runs every input of fuzz/regressions/<target>/ (committed: inputs that
# once crashed, kept as regression tests) and of its corpus, fuzz/corpus/<target>/ (gitignored,
# seeded by fuzz/seeds.mjs from the conformance suites and test vectors, grown by each run),
# then fuzzes. A crash lands in fuzz/artifacts/<target>/ and fails the script: fix it, then
# copy the input into fuzz/regressions/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1m[fuzz]\033[0m %s\n' "$*"; }
smoke=false
if [ "${1:-}" = "--smoke" ]; then
  smoke=true
  shift
fi
seconds=${1:-60}
targets=$(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^bridle-fuzz$')
# The tokenizer target reads the tiktoken package's rank tables; the seeds read the vectors.
[ -d node_modules/tiktoken ] || npm ci --no-audit --no-fund
node fuzz/seeds.mjs fuzz/corpus
started=$(date +%s)
if $smoke; then
  # The smoke test (make test): the same targets with libFuzzer's coverage instrumentation as
  # cargo-fuzz sets it, and debug assertions, built by stable cargo with parallel codegen and
  # without AddressSanitizer, so CI needs neither nightly Rust nor cargo-fuzz.
  triple=$(rustc -vV | sed -n 's/^host: //p')
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}/fuzz-smoke
  RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cllvm-args=-sanitizer-coverage-stack-depth \
--cfg fuzzing -Cdebug-assertions" \
    cargo build --release --manifest-path fuzz/Cargo.toml --target "$triple" --bins
  run() { "$CARGO_TARGET_DIR/$triple/release/$1" -artifact_prefix="fuzz/artifacts/$1/" "${@:2}"; }
else
  rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
  if ! .tools/bin/cargo-fuzz --version 2>/dev/null | grep -q ' 0\.13\.2$'; then
    say "installing cargo-fuzz 0.13.2 into .tools/ (a few minutes, once)"
    cargo install cargo-fuzz --version 0.13.2 --root .tools
  fi
  export PATH="$PWD/.tools/bin:$PATH"
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target/fuzz}
  (cd fuzz && cargo +nightly fuzz build -O)
  run() { (cd fuzz && cargo +nightly fuzz run -O "$1" -- "${@:2}"); }
fi
say "built in $(($(date +%s) - started))s"
failed=()
runs=0
for target in $targets; do
  mkdir -p "fuzz/corpus/$target" "fuzz/regressions/$target" "fuzz/artifacts/$target"
  say "$target: $(ls "fuzz/regressions/$target" | wc -l) regression inputs, $(ls "fuzz/corpus/$target" | wc -l) corpus inputs, then ${seconds}s"
  log=$(mktemp)
  # Paths are given from the repository root (cargo fuzz run works in fuzz/, hence $PWD).
  if run "$target" "$PWD/fuzz/corpus/$target" "$PWD/fuzz/regressions/$target" \
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
say "no crash in $(echo $targets | wc -w) targets, ${seconds}s each, $runs executions"
