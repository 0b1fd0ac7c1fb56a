#!/usr/bin/env bash
# The committed package-lock.json installs as it is: `npm ci` accepts it (every package the tree
# needs, every platform's optional binaries included, is in it), and the `npm install` that ran
# before this script left it unchanged. A lock that lists only this machine's platform fails
# `npm ci` on a clean clone with "Missing: … from lock file" (DEVELOPERS.md).
set -euo pipefail
cd "$(dirname "$0")/.."

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! npm ci --dry-run --ignore-scripts >"$log" 2>&1; then
  grep -E 'npm error (Missing|Invalid|`npm ci`)' "$log" | head -n 20
  echo "check-lock: FAIL: npm ci refuses package-lock.json; run npm install and commit the lock it writes"
  exit 1
fi

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  if ! git diff --quiet -- package-lock.json; then
    git diff --stat -- package-lock.json
    echo "check-lock: FAIL: npm install changed package-lock.json; commit the lock it writes"
    exit 1
  fi
fi
echo "check-lock: PASS: npm ci accepts package-lock.json, and npm install left it unchanged"
