import { isMap, isScalar, Scalar, visit, type Document, type LineCounter, type YAMLMap } from 'yaml'
import type { Problem } from '../errors'
import type { Pace } from '../pace'
import { splitJsonObjects, toBlockStyle } from './json-stream'
import type { Manifest } from './manifest'
import type { InputText } from './types'
import { describeYamlError, lineCounterOf } from '../yaml/describe-error'
import { parseYamlStream, streamYamlDocuments, stripBom } from '../yaml/parse'

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

/** Plain null scalars: such a document decodes to nothing and is skipped (docs/design/avp-semantics.md). */
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
  const text = stripBom(input.text)
  // Like apimachinery's decoder, a stream whose first byte is `{` is JSON:
  // possibly several concatenated objects (docs/design/avp-semantics.md).
  const chunks = text.startsWith('{') ? splitJsonObjects(text) : undefined
  if (chunks !== undefined) {
    // Chunk offsets are positions in the whole text: one line index for all.
    const lines = lineCounterOf(text)
    for (const [i, chunk] of chunks.entries()) {
      const [doc] = parseYamlStream(chunk.text, 'manifest').result
      const ctx = { input, text, lines, index: i + 1, offset: chunk.offset, json: true }
      if (doc !== undefined) addDocument(doc, ctx, result)
      yield
    }
    return
  }
  // Composed one document at a time, so a run can stop between two documents of a long stream.
  const { result: docs, lineCounter: lines } = streamYamlDocuments(text, 'manifest')
  let index = 0
  for (const doc of docs) {
    index += 1
    addDocument(doc, { input, text, lines, index, offset: 0, json: false }, result)
    yield
  }
}

interface DocContext {
  readonly input: InputText
  /** The whole input text (BOM removed), for line numbers. */
  readonly text: string
  /** The line index of `text`. */
  readonly lines: LineCounter
  readonly index: number
  /** Where the parsed text starts within `text`. */
  readonly offset: number
  readonly json: boolean
}

/** The name of the first alias whose anchor is not defined before it, if any. */
function firstDanglingAlias(doc: Document): string | undefined {
  let dangling: string | undefined
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) !== undefined) return undefined
      dangling = node.source
      return visit.BREAK
    },
  })
  return dangling
}

function addDocument(doc: Document, ctx: DocContext, result: ParseResult): void {
  const location = { file: ctx.input.source, document: ctx.index }
  const firstError = doc.errors[0]
  if (firstError !== undefined) {
    const what = describeYamlError(firstError, ctx.text, ctx.offset, ctx.lines)
    const message = `invalid ${ctx.json ? 'JSON' : 'YAML'}: ${what}`
    result.problems.push({ code: 'INPUT_INVALID', message, location })
    return
  }
  const dangling = firstDanglingAlias(doc)
  if (dangling !== undefined) {
    // The library parses `*a` without its anchor and only fails when printing.
    const message = `invalid YAML: the alias *${dangling} refers to no anchor defined before it`
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
