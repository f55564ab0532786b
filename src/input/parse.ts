import {
  Composer,
  isMap,
  isScalar,
  parseAllDocuments,
  Parser,
  Scalar,
  type Document,
  type YAMLMap,
} from 'yaml'
import type { Problem } from '../errors'
import type { Pace } from '../pace'
import { splitJsonObjects, toBlockStyle } from './json-stream'
import type { Manifest } from './manifest'
import type { InputText } from './types'
import { describeYamlError } from './yaml-error'

/** A document that was read but is not a Kubernetes object, and why (for `--verbose`). */
export interface SkippedDocument {
  readonly source: string
  readonly index: number
  readonly reason: string
}

export interface ParseResult {
  readonly manifests: Manifest[]
  readonly problems: Problem[]
  readonly skipped: SkippedDocument[]
}

/**
 * Options for every input document. The FAILSAFE schema keeps each scalar a
 * string holding its source text, so untouched values print verbatim (see
 * manifest.ts). Duplicate keys are allowed: go-yaml v2 keeps the last one and
 * Helm charts do produce them. `prettyErrors: false` because pretty errors
 * quote the offending line, which may hold a secret.
 */
const PARSE_OPTIONS = { schema: 'failsafe', prettyErrors: false, uniqueKeys: false } as const

/** Plain null scalars: such a document decodes to nothing and is skipped (avp-behaviour.md §1.4). */
const NULL_TEXT = new Set(['', '~', 'null', 'Null', 'NULL'])

/**
 * Parses every input into Kubernetes object documents, in input order.
 * Empty, null and comment-only documents are dropped silently; every other
 * problem is returned (none is thrown), one per document, naming the file,
 * the 1-based document index and the line, never the text.
 */
export function parseManifests(inputs: readonly InputText[]): ParseResult {
  const result: ParseResult = { manifests: [], problems: [], skipped: [] }
  for (const input of inputs) {
    const steps = parseInput(input, result)
    while (steps.next().done !== true);
  }
  return result
}

/**
 * `parseManifests` for a run: between two documents, `pace` may stop the run
 * (deadline passed, SIGTERM received), so a stream of many documents never
 * keeps the plugin busy past its deadline.
 */
export async function parseManifestsPaced(
  inputs: readonly InputText[],
  pace: Pace,
): Promise<ParseResult> {
  const result: ParseResult = { manifests: [], problems: [], skipped: [] }
  for (const input of inputs) {
    const steps = parseInput(input, result)
    while (steps.next().done !== true) await pace.step()
  }
  return result
}

/** Parses one input, yielding after each document. */
function* parseInput(input: InputText, result: ParseResult): Generator<void> {
  const text = input.text.startsWith('\uFEFF') ? input.text.slice(1) : input.text
  // Like apimachinery's decoder, a stream whose first byte is `{` is JSON:
  // possibly several concatenated objects (avp-behaviour.md §1.4).
  const chunks = text.startsWith('{') ? splitJsonObjects(text) : undefined
  if (chunks !== undefined) {
    for (const [i, chunk] of chunks.entries()) {
      const [doc] = parseAllDocuments(chunk.text, PARSE_OPTIONS)
      if (doc !== undefined)
        addDocument(doc, { input, text, index: i + 1, offset: chunk.offset, json: true }, result)
      yield
    }
    return
  }
  // Composed one document at a time (what parseAllDocuments does in one go),
  // so a run can stop between two documents of a long stream.
  const composer = new Composer(PARSE_OPTIONS)
  let index = 0
  const add = (doc: Document): void => {
    index += 1
    addDocument(doc, { input, text, index, offset: 0, json: false }, result)
  }
  for (const token of new Parser().parse(text)) {
    for (const doc of composer.next(token)) {
      add(doc)
      yield
    }
  }
  for (const doc of composer.end()) add(doc)
}

interface DocContext {
  readonly input: InputText
  /** The whole input text (BOM removed), for line numbers. */
  readonly text: string
  readonly index: number
  /** Where the parsed text starts within `text`. */
  readonly offset: number
  readonly json: boolean
}

function addDocument(doc: Document, ctx: DocContext, result: ParseResult): void {
  const location = { file: ctx.input.source, document: ctx.index }
  const firstError = doc.errors[0]
  if (firstError !== undefined) {
    const what = describeYamlError(firstError, ctx.text, ctx.offset)
    const message = `invalid ${ctx.json ? 'JSON' : 'YAML'}: ${what}`
    result.problems.push({ code: 'INPUT_INVALID', message, location })
    return
  }
  const contents = doc.contents
  if (contents === null || isNullScalar(contents)) return
  if (!isMap(contents)) {
    const shape = isScalar(contents) ? 'a scalar' : 'a list'
    const message = `the document is ${shape}, not a Kubernetes object (a list of objects needs kind: List)`
    result.problems.push({ code: 'INPUT_INVALID', message, location })
    return
  }
  if (kindOf(contents) === undefined) {
    if (ctx.input.skipNonObjects) {
      // values.yaml, Chart.yaml, kustomization.yaml in a plain directory (AVP #252).
      const reason = 'no kind: not a Kubernetes object'
      result.skipped.push({ source: ctx.input.source, index: ctx.index, reason })
    } else {
      result.problems.push({ code: 'INPUT_INVALID', message: "Object 'Kind' is missing", location })
    }
    return
  }
  if (ctx.json) toBlockStyle(doc)
  result.manifests.push({ source: ctx.input.source, index: ctx.index, doc })
}

function isNullScalar(node: unknown): boolean {
  return (
    isScalar(node) &&
    node.type === Scalar.PLAIN &&
    typeof node.value === 'string' &&
    NULL_TEXT.has(node.value) &&
    node.tag === undefined
  )
}

/** The value of the last `kind` key (go-yaml keeps the last duplicate), if a non-empty string. */
function kindOf(map: YAMLMap): string | undefined {
  for (let i = map.items.length - 1; i >= 0; i--) {
    const pair = map.items[i]
    if (!isScalar(pair?.key) || pair.key.value !== 'kind') continue
    const value = pair.value
    if (!isScalar(value) || typeof value.value !== 'string' || isNullScalar(value)) return undefined
    return value.value === '' ? undefined : value.value
  }
  return undefined
}
