#!/usr/bin/env bash
# The generator's fingerprint: SHA-256 of every file `thingstape gen` writes (pages, manifest,
# the --json summary) for several seeds, sizes, zones, start days and page sizes. Run it before
# and after changing src/gen; a change that must not alter histories leaves it identical.
#
#   bash scripts/gen-fingerprint.sh > /tmp/before.sha256
#   … change src/gen …
#   bash scripts/gen-fingerprint.sh > /tmp/after.sha256 && cmp /tmp/before.sha256 /tmp/after.sha256
#
# About 800 lines; two minutes on two cores (the 200,000-item history takes most of it).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/thingstape-gen-fingerprint.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cd "$REPO"

gen() {
  local name=$1
  shift
  # The summary names the directory; the temporary path is replaced so runs compare.
  npm run -s thingstape -- gen "$WORK/$name" "$@" --json | sed "s|$WORK|WORK|g" >"$WORK/$name.stdout"
}

for seed in 1 7 11 42; do
  for items in 2000 20000; do
    gen "s$seed-n$items" --items "$items" --seed "$seed"
  done
done
gen demo-tokyo --items 5000 --seed demo --time-zone Asia/Tokyo --start 2024-01-01
gen pg7-ny --items 3000 --seed 99 --page-groups 7 --time-zone America/New_York --start 2023-03-10
gen one --items 1 --seed 0
gen s3-n200000 --items 200000 --seed 3

cd "$WORK"
find . -type f | LC_ALL=C sort | xargs sha256sum
