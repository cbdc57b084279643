#!/usr/bin/env bash
# Runs every test suite (after scripts/build.sh): the Rust tests, the JS suite once per
# backend, the build checks (wasm size budgets, generated types, the API reference), the
# runtime tests (Chromium, workerd), the examples (Node; and as deployed: a Vite app in
# Chromium, a Worker in workerd, an Edge Function in edge-runtime, the packed tarball
# installed outside the repository), the README's guide samples, and reliability: the
# differential tests against reference engines, the memory tests, fault injection in model
# calls and a fuzz smoke test. Every suite runs even if an earlier one failed; the last line
# says how many suites passed.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
failed_names=()
# Runs a command once per backend (BRIDLE_BACKEND=native and wasm), both at once, for suites
# that mostly wait (on timers, on sockets); each backend's output is printed whole at the end.
on_both_backends_at_once() {
  local logs status=0
  logs=$(mktemp -d)
  env BRIDLE_BACKEND=native "$@" >"$logs/native" 2>&1 &
  local native=$!
  env BRIDLE_BACKEND=wasm "$@" >"$logs/wasm" 2>&1 &
  local wasm=$!
  wait $native || status=1
  wait $wasm || status=1
  cat "$logs/native" "$logs/wasm"
  rm -rf "$logs"
  return $status
}

suite() {
  local name=$1
  shift
  printf '\n\033[1m=== %s ===\033[0m\n' "$name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failed_names+=("$name")
  fi
}

suite "Rust: core unit, doc, vector and boundary tests" cargo test -p bridle -- --nocapture --test-threads=2
suite "JS suite, native backend" env BRIDLE_BACKEND=native node --test tests/js/*.test.mjs
suite "JS suite, wasm backend" env BRIDLE_BACKEND=wasm node --test tests/js/*.test.mjs
suite "Build checks: wasm size budgets, generated types, API reference" node --test tests/build/*.test.mjs
suite "Runtimes: Chromium and workerd" node --test --test-concurrency=1 tests/runtimes/*.test.mjs
suite "Examples: quick start and Node examples" node --test tests/examples.test.mjs
suite "Examples as deployed: Vite app in Chromium, Worker in workerd, Edge Function in edge-runtime, packed tarball" node --test --test-concurrency=1 tests/examples/*.test.mjs
suite "Guides: the README samples on both backends" node --test tests/guides.test.mjs
suite "Backends: native and wasm identical on seeded random inputs across the API" \
  node --test tests/backends/*.test.mjs
suite "Differential: mustache.js, handlebars.js, Python Jinja2, JSON.parse and tiktoken on seeded random inputs" \
  env BRIDLE_BACKEND=native BRIDLE_REQUIRE_PYTHON=1 node --test tests/differential/*.test.mjs
suite "Memory: a million calls of each operation per backend stay flat; concurrent async calls" \
  node --test tests/leaks/*.test.mjs
suite "Faults: model calls through broken connections, cut bodies, error statuses, drips and hangs, both backends" \
  on_both_backends_at_once node --test tests/faults/*.test.mjs
# Builds every fuzz target, replays its regression inputs and seed corpus, then fuzzes it
# briefly (`make fuzz` runs them for longer, with AddressSanitizer).
suite "Fuzz smoke: every cargo-fuzz target, regressions and seeds replayed, ${FUZZ_SMOKE_SECONDS:-5}s of fuzzing each" \
  scripts/fuzz.sh --smoke "${FUZZ_SMOKE_SECONDS:-5}"

printf '\n'
for name in "${failed_names[@]}"; do echo "FAILED: $name"; done
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
