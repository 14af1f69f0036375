#!/usr/bin/env bash
# `npm test`: every check a change must pass — types, lint, then every test (unit,
# integration over pseudo-terminals and loopback HTTP, crash, chaos, soak, browser e2e).
set -uo pipefail
cd "$(dirname "$0")/.."

fail=0
step() {
  local name=$1
  shift
  echo "== $name"
  local t0=$SECONDS
  if "$@"; then
    echo "== $name: ok ($((SECONDS - t0)) s)"
  else
    echo "== $name: FAILED ($((SECONDS - t0)) s)"
    fail=1
  fi
}

# One tsconfig per environment: Node (tsconfig.json), the browser UI (app/ui/tsconfig.json: DOM,
# no Node), and the Node code that drives Chromium (tsconfig.playwright.json: both).
step typecheck:node npx tsc -p tsconfig.json --noEmit
step typecheck:ui npx tsc -p app/ui/tsconfig.json --noEmit
step typecheck:playwright npx tsc -p tsconfig.playwright.json --noEmit
step lint npx eslint . --max-warnings 0
step tests npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json

if [ -f test-results/vitest.json ]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync("test-results/vitest.json", "utf8"));
    console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
  '
fi
exit $fail
