// docs/troubleshooting.md lists every error class the plugin can print with
// its exit code: a class added to the code without a row there fails here.
import fs from 'node:fs'
import path from 'node:path'
import { FETCH_FAILURE_CODES } from '../../src/secrets/ref'

const ROOT = path.resolve(__dirname, '../..')

/** The string members of the `ErrorCode` union in src/errors.ts. */
function pluginCodes(): string[] {
  const source = fs.readFileSync(path.join(ROOT, 'src/errors.ts'), 'utf8')
  const union = /export type ErrorCode =([\s\S]*?)\n\n/.exec(source)?.[1] ?? ''
  return [...union.matchAll(/\| '([A-Z_]+)'/g)].map((m) => m[1] ?? '')
}

/** `exit → classes` from the table of the "Exit codes and error classes" section. */
function documented(): Map<string, string[]> {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/troubleshooting.md'), 'utf8')
  const rows = new Map<string, string[]>()
  for (const line of doc.split('\n')) {
    const cells = /^\| (\d+) \| ([^|]*) \|/.exec(line)
    if (cells === null) continue
    rows.set(
      cells[1] ?? '',
      [...(cells[2] ?? '').matchAll(/`([A-Z_]+)`/g)].map((m) => m[1] ?? ''),
    )
  }
  return rows
}

test('every error class appears in the exit-code table', () => {
  const listed = new Set([...documented().values()].flat())
  const codes = [...new Set([...FETCH_FAILURE_CODES, ...pluginCodes()])]
  expect(codes.length).toBeGreaterThan(20)
  expect(codes.filter((code) => !listed.has(code))).toEqual([])
})

test('the table has a row for every exit code', () => {
  const source = fs.readFileSync(path.join(ROOT, 'src/errors.ts'), 'utf8')
  const exits = [...source.matchAll(/^\s+[A-Z]+: (\d+),$/gm)].map((m) => m[1] ?? '')
  expect(exits.sort()).toEqual([...documented().keys()].sort())
})
