# Thin wrappers over the npm scripts; `npm install` first if node_modules is missing or stale.
.PHONY: install check typecheck lint format format-check test build package-test

node_modules/.package-lock.json: package.json package-lock.json
	npm install
	@touch $@

install: node_modules/.package-lock.json

check: install
	npm run check

typecheck: install
	npm run typecheck

lint: install
	npm run lint

format: install
	npm run format

format-check: install
	npm run format:check

test: install
	npm test

# The package's dist/ (JavaScript, declarations, source maps); `npm pack` builds it too.
build: install
	npm run build

# Pack, install into a fresh project in a temporary directory, check it as users run it.
package-test: install
	npm run package-test

# Long property campaigns: `make fuzz RUNS=20000` (runs per property; prints each seed).
RUNS ?= 5000
.PHONY: fuzz mutation
fuzz: install
	FC_NUM_RUNS=$(RUNS) npm run fuzz

# Kill -9 trials (replay, --max-pages replay, push, sqld killed and restarted); not in `make test`.
# Prints its seed and the pass counts: `make chaos`, `CHAOS_SEED=… CHAOS_TRIALS=replay:5 make chaos`.
.PHONY: chaos
chaos: install
	npm run chaos

# Mutation testing of src/engine and src/protocol (StrykerJS, vitest runner); slow, not in `make test`.
mutation: install
	npm run mutation

# Benchmarks (docs/benchmarks.md): `make bench` (full: 100k and 1M items, 3 runs; long),
# `make bench ARGS=--quick` for a smoke test. Results JSON goes to bench/results/ (git-ignored).
.PHONY: bench
bench: install
	npm run bench -- $(ARGS)
