// Helpers shared by the backend integration tests: a ConfigMap manifest with
// placeholders, the data of a successful run, and the error lines of a failed
// one, checked to be fail-closed and free of canaries.
import { parseAllDocuments } from 'yaml'
import type { CliResult } from './run-cli'

/** A ConfigMap `app` whose data holds `data` (placeholders as written), with `annotations` if any. */
export function configMap(
  data: Readonly<Record<string, string>>,
  name = 'app',
  annotations: Readonly<Record<string, string>> = {},
): string {
  const lines = Object.entries(data).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)
  const notes = Object.entries(annotations).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
  return [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${name}`,
    ...(notes.length > 0 ? ['  annotations:', ...notes] : []),
    'data:',
    ...lines,
    '',
  ].join('\n')
}

/** `.data` of document `index` of a run that must have succeeded with nothing on stderr but debug lines. */
export function dataOf(result: CliResult, index = 0): Record<string, unknown> {
  expect(result.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('debug: '))).toEqual([])
  expect(result.code).toBe(0)
  const doc = parseAllDocuments(result.stdout)[index]?.toJS() as { data?: Record<string, unknown> }
  return doc.data ?? {}
}

/**
 * The `error:` lines of a run that must have failed: exit 1 (or `code`),
 * nothing on stdout, and none of `secrets` (values, tokens) nor any
 * `canary-` string anywhere on stderr.
 */
export function failureLines(
  result: CliResult,
  secrets: readonly string[] = [],
  code = 1,
): string[] {
  expect(result.stdout).toBe('')
  expect(result.code).toBe(code)
  expect(result.stderr).not.toMatch(/canary-/)
  for (const s of secrets) expect(result.stderr).not.toContain(s)
  return result.stderr.split('\n').filter((l) => l.startsWith('error: '))
}
