// Prints the closing `N passed, N failed` line from jest's --json outputs:
// `node jest-summary.mjs FAILED_CHECKS RESULTS.json...`, one file per jest run
// (the whole suite under Node 20, the integration suite under the image's
// Node), summed. Each failed static check (format, lint, typecheck, …) counts
// as one failure, and so does a run whose results file is missing, so a red
// check or a crashed run can never hide behind green tests.
import { existsSync, readFileSync } from 'node:fs'

const [failedChecksArg = '0', ...files] = process.argv.slice(2)
let passed = 0
let failed = Number(failedChecksArg)
for (const file of files) {
  if (!existsSync(file)) {
    failed += 1
    continue
  }
  const summary = JSON.parse(readFileSync(file, 'utf8'))
  // Test files that failed to run at all (syntax errors, setup failures) have
  // no test results; count each as a failure.
  const brokenSuites = summary.testResults.filter(
    (r) => r.status === 'failed' && r.assertionResults.length === 0,
  ).length
  passed += summary.numPassedTests
  failed += summary.numFailedTests + brokenSuites
  // A run that found no tests at all is a failure too.
  if (summary.numTotalTests === 0) failed += 1
}
if (files.length === 0) failed += 1
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
