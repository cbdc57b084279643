# Bridle: `make demo` sets up, builds and runs the quick start; `make test` sets up, builds
# both backends and runs every test. Everything installs itself (see scripts/setup.sh).

.PHONY: setup setup-browser build demo test bench fuzz clean

setup:
	scripts/setup.sh

setup-browser:
	scripts/setup.sh --browser

build: setup
	scripts/build.sh

demo: build
	node examples/node/quickstart.mjs

test: setup-browser
	scripts/build.sh
	scripts/test.sh

bench: build
	node tests/bench/run.mjs

# Every cargo-fuzz target for FUZZ_SECONDS each (nightly Rust and cargo-fuzz install themselves).
FUZZ_SECONDS ?= 60
fuzz: setup
	scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf target npm/bridle/wasm npm/bridle/native npm/bridle/dist tests/.out
