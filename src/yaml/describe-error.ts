import { LineCounter, type ErrorCode as YamlErrorCode, type YAMLError } from 'yaml'

/**
 * What each `yaml` error code means, in our words. The library's own messages
 * can quote the input (`Unexpected ${token.source}`, `Invalid escape sequence
 * ${raw}`, and pretty errors print the whole line), and the input may hold a
 * secret, so only constant texts are ever shown (docs/design/engineering-rules.md).
 */
const CODE_TEXT: Readonly<Record<YamlErrorCode, string>> = {
  ALIAS_PROPS: 'an alias must not have an anchor or tag',
  BAD_ALIAS: 'invalid alias or anchor',
  BAD_DIRECTIVE: 'invalid directive',
  BAD_DQ_ESCAPE: 'invalid escape sequence in a double-quoted string',
  BAD_INDENT: 'bad indentation',
  BAD_PROP_ORDER: 'anchors and tags must come after the indicator',
  BAD_SCALAR_START: 'a plain value cannot start with this character',
  BLOCK_AS_IMPLICIT_KEY: 'a block collection cannot be a key',
  BLOCK_IN_FLOW: 'block syntax inside a flow collection',
  DUPLICATE_KEY: 'duplicate key',
  IMPOSSIBLE: 'internal parser error',
  KEY_OVER_1024_CHARS: 'an implicit key is longer than 1024 characters',
  MISSING_CHAR: 'a quote, bracket, comma or colon is missing',
  MULTILINE_IMPLICIT_KEY: 'an implicit key spans several lines',
  MULTIPLE_ANCHORS: 'a node has more than one anchor',
  MULTIPLE_DOCS: 'more than one document where one was expected',
  MULTIPLE_TAGS: 'a node has more than one tag',
  NON_STRING_KEY: 'a key is not a string',
  // The parser reports this code only when it runs out of stack: on maps and
  // lists nested hundreds deep (alias expansion is limited elsewhere).
  RESOURCE_EXHAUSTION:
    'maps and lists are nested too deeply (the parser allows a few hundred levels)',
  TAB_AS_INDENT: 'tabs are not allowed as indentation',
  TAG_RESOLVE_FAILED: 'unknown tag',
  UNEXPECTED_TOKEN: 'unexpected content',
  BAD_COLLECTION_TYPE: 'a tag does not fit its collection',
}

/** Library messages that are constant strings (no input interpolated), so they are safe to show. */
const CONSTANT_MESSAGES = new Set([
  'All mapping items must start at the same column',
  'All sequence items must start at the same column',
  'A block sequence may not be used as an implicit map key',
  'Nested mappings are not allowed in compact mappings',
  'Map keys must be unique',
  'Block collection cannot start on same line with directives-end marker',
  'Comments must be separated from other tokens by white space characters',
  'Implicit map keys need to be followed by map values',
  'Missing closing "quote',
  'Sequence item without - indicator',
  'Tags and anchors must be separated from the next token by white space',
  'Implicit keys need to be on a single line',
  'Tabs are not allowed as indentation',
  'A node can have at most one anchor',
  'A node can have at most one tag',
])

/**
 * Describes a parse error as `<what> (line L, column C)`, never quoting the
 * input. When the parser notices a problem at the start of a line, the
 * mistake is usually on the previous line with content (a mis-indented
 * entry), so both are named: `(lines 18-19)`, where AVP says `line 18`.
 */
export function describeYamlError(
  err: YAMLError,
  text: string,
  offset = 0,
  lines: LineCounter = lineCounterOf(text),
): string {
  const what = CONSTANT_MESSAGES.has(err.message)
    ? lowerFirst(err.message)
    : ((CODE_TEXT[err.code] as string | undefined) ?? 'syntax error')
  const at = offset + err.pos[0]
  const { line, col, atLineStart } = lineAndColumn(text, at, lines)
  const previous = atLineStart ? previousContentLine(text, at) : undefined
  const where =
    previous !== undefined && previous < line
      ? `lines ${String(previous)}-${String(line)}`
      : `line ${String(line)}, column ${String(col)}`
  return `${what} (${where})`
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}

/** A line index of `text`, when the parse did not fill one (`parse.ts` does). */
export function lineCounterOf(text: string): LineCounter {
  const lines = new LineCounter()
  lines.addNewLine(0)
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1)
  return lines
}

/** The 1-based line of `offset`, from the parse's line index. */
export function lineOf(lines: LineCounter, offset: number): number {
  return lines.linePos(offset).line
}

/**
 * 1-based line and column of `offset`; `atLineStart` if the offset is on a
 * blank in the line's indentation (or at the end of the text).
 */
function lineAndColumn(
  text: string,
  offset: number,
  lines: LineCounter,
): { line: number; col: number; atLineStart: boolean } {
  const at = Math.min(offset, text.length)
  const { line, col } = lines.linePos(at)
  const prefix = text.slice(at - (col - 1), at)
  // The parser points at indentation or at the end of the text: the mistake lies before.
  const atBlank = offset >= text.length || /[ \t\r\n]/.test(text.charAt(offset))
  return { line, col, atLineStart: atBlank && /^[ \t]*$/.test(prefix) }
}

/** The 1-based number of the last line before `offset` that holds more than blanks or a comment. */
function previousContentLine(text: string, offset: number): number | undefined {
  const lines = text.slice(0, offset).split('\n')
  lines.pop() // the line `offset` is on
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!/^\s*(#.*)?$/.test(lines[i] ?? '')) return i + 1
  }
  return undefined
}
