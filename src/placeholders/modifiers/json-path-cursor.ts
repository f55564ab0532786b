import { JsonPathError } from './json-path-types'

/** A read position over the template text, with the small scanners the parser shares. */
export class Cursor {
  pos = 0
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length
  }

  peek(offset = 0): string {
    return this.text.charAt(this.pos + offset)
  }

  startsWith(prefix: string): boolean {
    return this.text.startsWith(prefix, this.pos)
  }

  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++
  }

  expect(char: string): void {
    if (this.peek() !== char) throw this.unexpected()
    this.pos++
  }

  /** The client-go message for a character that cannot start anything here. */
  unexpected(): JsonPathError {
    if (this.done) return new JsonPathError('unclosed action')
    const code = this.text.codePointAt(this.pos) ?? 0
    const hex = code.toString(16).toUpperCase().padStart(4, '0')
    return new JsonPathError(
      `unrecognized character in action: U+${hex} '${String.fromCodePoint(code)}'`,
    )
  }

  /** A `'…'` or `"…"` literal with backslash escapes (\n, \t, \\, \', \"). */
  readQuoted(): string {
    const quote = this.peek()
    this.pos++
    let out = ''
    for (;;) {
      const char = this.peek()
      if (this.done || char === '\n') throw new JsonPathError('unterminated quoted string')
      this.pos++
      if (char === quote) return out
      if (char === '\\') {
        out += unescape(this.peek())
        this.pos++
      } else {
        out += char
      }
    }
  }

  /** A field name up to the next terminator; `\.` and friends escape a terminator. */
  readName(extraTerminators: string): string {
    let out = ''
    while (!this.done) {
      const char = this.peek()
      if (char === '\\' && this.pos + 1 < this.text.length) {
        out += this.peek(1)
        this.pos += 2
        continue
      }
      if (NAME_TERMINATORS.includes(char) || extraTerminators.includes(char)) break
      out += char
      this.pos++
    }
    return out
  }

  readNumber(): number {
    const match = /^[-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?/.exec(this.text.slice(this.pos))
    if (match === null) throw this.unexpected()
    this.pos += match[0].length
    return Number(match[0])
  }
}

// client-go's isTerminator: space, tab, line ends and . , [ ] $ @ { }
const NAME_TERMINATORS = ' \t\r\n.,[]$@{}'

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r' }

function unescape(char: string): string {
  return ESCAPES[char] ?? char
}
