import { isAlias, isMap, isNode, isScalar, isSeq } from 'yaml'
import type { Document } from 'yaml'
import { lineCounterOf, lineOf } from '../yaml/describe-error'
import { parseYamlDocument } from '../yaml/parse'

/** The key/value pairs of a config file, plus every issue found (file name not included). */
export interface ParsedConfig {
  readonly entries: readonly (readonly [string, string])[]
  readonly issues: readonly string[]
}

const NESTED = 'nested maps and lists are not supported; use a string value'

/**
 * A YAML config file: one mapping of `KEY: value`. Numbers keep their source
 * text (`1.0` stays `1.0`) and booleans become `true`/`false`: AVP panics on a
 * non-string value (docs/design/avp-semantics.md), we convert it. Parse errors
 * report the yaml error code and line only; `prettyErrors` is off because it
 * quotes the source line, and the file holds credentials (docs/design/engineering-rules.md).
 */
export function parseYamlConfig(text: string): ParsedConfig {
  const doc = parseYamlDocument(text, 'configFile').result
  const [error] = doc.errors
  if (error !== undefined) {
    return {
      entries: [],
      issues: [`not valid YAML (${error.code} at ${lineAt(text, error.pos[0])})`],
    }
  }
  const contents = doc.contents
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return { entries: [], issues: [] }
  }
  if (!isMap(contents)) return { entries: [], issues: ['expected a mapping of KEY: value'] }
  const entries: [string, string][] = []
  const issues: string[] = []
  for (const pair of contents.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined
    if (typeof key !== 'string' && typeof key !== 'number') {
      issues.push(`a key at ${lineAt(text, nodeStart(pair.key))} is not a plain name`)
      continue
    }
    const value = yamlValue(doc, pair.value)
    if (value === NESTED) issues.push(`${String(key)}: ${NESTED}`)
    else if (value !== undefined) entries.push([String(key), value])
  }
  return { entries, issues }
}

/** A scalar's text, `undefined` for null, or the `NESTED` marker for a collection. */
function yamlValue(doc: Document, node: unknown): string | undefined {
  const target = isAlias(node) ? node.resolve(doc) : node
  if (isMap(target) || isSeq(target)) return NESTED
  if (!isScalar(target)) return undefined
  const value: unknown = target.value
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'bigint') return target.source ?? String(value)
  if (typeof value === 'boolean') return String(value)
  return undefined
}

function nodeStart(node: unknown): number {
  return isNode(node) ? (node.range?.[0] ?? 0) : 0
}

/**
 * A JSON config file: one object of `"KEY": value`. `JSON.parse`'s message
 * quotes the input on Node 20 (docs/design/engineering-rules.md), so only its position is
 * kept, as a line number.
 */
export function parseJsonConfig(text: string): ParsedConfig {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    const message = error instanceof Error ? error.message : ''
    const pos = /at position (\d+)/.exec(message)?.[1]
    const where = pos === undefined ? '' : ` at ${lineAt(text, Number(pos))}`
    return { entries: [], issues: [`not valid JSON${where}`] }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { entries: [], issues: ['expected an object of "KEY": value'] }
  }
  const entries: [string, string][] = []
  const issues: string[] = []
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === 'string') entries.push([key, value])
    else if (typeof value === 'number' || typeof value === 'boolean')
      entries.push([key, String(value)])
    else if (value !== null) issues.push(`${key}: ${NESTED}`)
  }
  return { entries, issues }
}

function lineAt(text: string, offset: number): string {
  return `line ${String(lineOf(lineCounterOf(text), Math.min(offset, text.length)))}`
}
