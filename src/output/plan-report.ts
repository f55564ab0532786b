import type { ErrorCode } from '../errors'

/** How one reference would fare in `generate`. Never a value. */
export type RefStatus =
  | 'found'
  | 'key-missing'
  | 'secret-missing'
  | 'denied'
  /** The operator's scoping policy does not let this app read the path. */
  | 'out-of-scope'
  /** The key is missing and remove-missing drops the field: `generate` succeeds. */
  | 'removed'
  | 'error'

/** One placeholder of the app, as `plan` lists it. */
export interface PlanRow {
  readonly file: string
  readonly document: number
  /** `Kind/name`, or undefined for a document without a kind. */
  readonly resource?: string
  readonly field: string
  /** The placeholder exactly as written. */
  readonly placeholder: string
  readonly backend?: string
  readonly path?: string
  readonly key?: string
  /** The version the reference asks for, if any. */
  readonly version?: string
  /** The version the backend resolved it to (Vault KV v2, AWS `VersionId`), if it has versions. */
  readonly resolved?: string
  /** Modifier segments as written, in order. */
  readonly modifiers: readonly string[]
  readonly status: RefStatus
  /** The error code behind any status but `found` and `removed`. */
  readonly code?: ErrorCode
}

const COLUMNS: readonly (readonly [string, (row: PlanRow) => string])[] = [
  ['FILE', (r) => `${r.file}#${String(r.document)}`],
  ['RESOURCE', (r) => r.resource ?? '-'],
  ['FIELD', (r) => r.field],
  ['BACKEND', (r) => r.backend ?? '-'],
  ['PATH', (r) => r.path ?? '-'],
  ['KEY', (r) => r.key ?? '-'],
  ['VERSION', (r) => r.version ?? '-'],
  ['RESOLVED', (r) => r.resolved ?? '-'],
  ['MODIFIERS', (r) => (r.modifiers.length === 0 ? '-' : r.modifiers.join(' | '))],
  ['STATUS', (r) => (r.code === undefined ? r.status : `${r.status} (${r.code})`)],
]

/** The rows as an aligned text table, one line per reference. */
export function formatTable(rows: readonly PlanRow[]): string {
  if (rows.length === 0) return 'no secret references\n'
  const cells = rows.map((row) => COLUMNS.map(([, cell]) => oneLine(cell(row))))
  const header = COLUMNS.map(([name]) => name)
  const widths = header.map((name, i) =>
    Math.max(name.length, ...cells.map((line) => line[i]?.length ?? 0)),
  )
  const line = (values: readonly string[]): string =>
    values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0))).join('  ')
  return [header, ...cells].map((values) => `${line(values)}\n`).join('')
}

/** The rows as one JSON document, for scripts and CI. */
export function formatJson(rows: readonly PlanRow[]): string {
  const failing = rows.filter((r) => r.status !== 'found' && r.status !== 'removed').length
  return `${JSON.stringify({ references: rows, failing }, null, 2)}\n`
}

// An inline placeholder may span lines; a table row may not.
function oneLine(text: string): string {
  return text.replace(/\r?\n/g, '\\n')
}
