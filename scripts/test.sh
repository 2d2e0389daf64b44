#!/usr/bin/env bash
# The one command that runs every test: `npm test`.
# It installs the locked dependencies when node_modules is missing, makes sure the system programs
# the suites need are present (Debian's redis-server, chromium and postgresql), installing them when run as
# root with apt, and otherwise stops with how to install them: no suite is ever skipped silently. Redis and PostgreSQL themselves are started and stopped by the suite.
set -uo pipefail
cd "$(dirname "$0")/.."

# A fresh clone: install the locked dependencies first, as `npm ci` would.
if [ ! -d node_modules ]; then
  echo "node_modules is missing: installing from package-lock.json (npm ci)…"
  npm ci --no-audit --no-fund || { echo "npm ci failed" >&2; exit 1; }
fi

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ -x /usr/bin/chromium ] || need+=(chromium)
# PostgreSQL's server programs live outside PATH on Debian (/usr/lib/postgresql/<version>/bin).
{ command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${need[*]} (Debian packages the tests need)…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null \
      || { echo "apt-get could not install ${need[*]}" >&2; exit 1; }
  else
    echo "The tests need ${need[*]}. Install them first, e.g.: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

mkdir -p test-results
rm -f test-results/results.json test-results/summary.txt
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/results.json "$@"
status=$?

if [ ! -s test-results/results.json ]; then
  echo "The test runner wrote no report (exit $status)." >&2
  echo "0 passed, 1 failed" | tee test-results/summary.txt
  exit 1
fi
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-results/results.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  // A file that fails before any test runs (an import error) counts as one failure.
  const broken = r.testResults.filter((f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed")).length;
  const line = `${r.numPassedTests} passed, ${r.numFailedTests + broken} failed` + (skipped ? `, ${skipped} skipped` : "");
  require("fs").writeFileSync("test-results/summary.txt", line + "\n");
  console.log(line);
'
exit $status
