// Prints the closing `N passed, N failed` line from jest's --json output.
// Each failed static check (format, lint, typecheck, …) counts as one failure,
// so a red check can never hide behind green tests.
import { existsSync, readFileSync } from 'node:fs'

const [file, failedChecksArg = '0'] = process.argv.slice(2)
const failedChecks = Number(failedChecksArg)
if (!file || !existsSync(file)) {
  console.log(`0 passed, ${1 + failedChecks} failed`)
  process.exit(1)
}
const summary = JSON.parse(readFileSync(file, 'utf8'))
// Test files that failed to run at all (syntax errors, setup failures) have no
// test results; count each as a failure.
const brokenSuites = summary.testResults.filter(
  (r) => r.status === 'failed' && r.assertionResults.length === 0,
).length
const passed = summary.numPassedTests
const failed = summary.numFailedTests + brokenSuites + failedChecks
if (summary.numTotalTests === 0) {
  console.log(`0 passed, ${failed + 1} failed`)
  process.exit(1)
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
