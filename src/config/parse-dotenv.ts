import type { ParsedConfig } from './parse-structured'

/**
 * A dotenv (`.env`) config file: `KEY=VALUE` lines, `#` comments, an optional
 * `export ` prefix, single quotes (literal) and double quotes (`\n`, `\t`,
 * `\"`, `\\` escapes; may span lines). There is no `$VAR` interpolation: a
 * config file must not be able to read the environment. Issues give the line
 * number only, never the line: the file holds credentials (docs/design/engineering-rules.md).
 */
export function parseDotenv(text: string): ParsedConfig {
  const lines = text.split(/\r?\n/)
  const entries: [string, string][] = []
  const issues: string[] = []
  let i = 0
  while (i < lines.length) {
    const lineNo = i + 1
    const line = (lines[i] ?? '').trim()
    i += 1
    if (line === '' || line.startsWith('#')) continue
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line)
    const key = match?.[1]
    const rest = match?.[2]
    if (key === undefined || rest === undefined) {
      issues.push(`line ${String(lineNo)}: expected KEY=VALUE`)
      continue
    }
    const quote = rest[0]
    if (quote !== '"' && quote !== "'") {
      entries.push([key, stripInlineComment(rest)])
      continue
    }
    // A quoted value may continue on the following lines (PEM blocks).
    let body = rest.slice(1)
    let close = findClosingQuote(body, quote)
    while (close < 0 && i < lines.length) {
      body += `\n${lines[i] ?? ''}`
      i += 1
      close = findClosingQuote(body, quote)
    }
    if (close < 0) {
      issues.push(`line ${String(lineNo)}: missing closing ${quote}`)
      continue
    }
    const after = body.slice(close + 1).trim()
    if (after !== '' && !after.startsWith('#')) {
      issues.push(`line ${String(lineNo)}: unexpected text after the closing ${quote}`)
      continue
    }
    const raw = body.slice(0, close)
    entries.push([key, quote === '"' ? unescapeDouble(raw) : raw])
  }
  return { entries, issues }
}

/** `VALUE # comment` → `VALUE`; a `#` not preceded by whitespace is part of the value. */
function stripInlineComment(value: string): string {
  const hash = value.search(/\s#/)
  return (hash < 0 ? value : value.slice(0, hash)).trim()
}

/** Index of the closing quote in `body`, skipping backslash escapes inside double quotes. */
function findClosingQuote(body: string, quote: string): number {
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i]
    if (quote === '"' && ch === '\\') {
      i += 1
    } else if (ch === quote) {
      return i
    }
  }
  return -1
}

const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  '"': '"',
  '\\': '\\',
}

function unescapeDouble(raw: string): string {
  return raw.replace(/\\(.)/g, (whole, ch: string) => ESCAPES[ch] ?? whole)
}
