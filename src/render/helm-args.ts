/**
 * `ARGOCD_ENV_HELM_ARGS` for AVP users' existing Applications. AVP spliced it
 * into `sh -c "helm template … ${ARGOCD_ENV_HELM_ARGS} ."`, which let anyone who
 * can edit an Application run code in the sidecar (docs/design/avp-semantics.md;
 * `--post-renderer`, `$(…)`). Here it is split like a shell word list, never
 * run through a shell, and only flags that select values or toggle output are
 * accepted; everything else is an error naming the flag (never its value).
 */
export interface HelmArgs {
  readonly valueFiles: readonly string[]
  /** Raw `--set` assignments, passed on as written (`a=1,b=2`). */
  readonly set: readonly string[]
  readonly setString: readonly string[]
  /** Boolean flags, e.g. `--include-crds`. */
  readonly flags: readonly string[]
  readonly namespace?: string
  readonly kubeVersion?: string
  readonly apiVersions: readonly string[]
}

const BOOL_FLAGS: ReadonlySet<string> = new Set([
  '--include-crds',
  '--skip-tests',
  '--skip-crds',
  '--no-hooks',
  '--skip-schema-validation',
])

type ValueFlag = 'values' | 'set' | 'set-string' | 'namespace' | 'kube-version' | 'api-versions'

const VALUE_FLAGS: ReadonlyMap<string, ValueFlag> = new Map<string, ValueFlag>([
  ['-f', 'values'],
  ['--values', 'values'],
  ['--set', 'set'],
  ['--set-string', 'set-string'],
  ['-n', 'namespace'],
  ['--namespace', 'namespace'],
  ['--kube-version', 'kube-version'],
  ['-a', 'api-versions'],
  ['--api-versions', 'api-versions'],
])

const ALLOWED = [...VALUE_FLAGS.keys(), ...BOOL_FLAGS].join(', ')

/** Parses the variable; returns the failures instead when anything is not allowed. */
export function parseHelmArgs(text: string): HelmArgs | { readonly failures: readonly string[] } {
  const words = splitWords(text)
  if (typeof words === 'string') return { failures: [`ARGOCD_ENV_HELM_ARGS: ${words}`] }
  const out = { valueFiles: [] as string[], set: [] as string[], setString: [] as string[] }
  const flags: string[] = []
  const apiVersions: string[] = []
  const single: { namespace?: string; kubeVersion?: string } = {}
  const issues: string[] = []
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? ''
    const eq = word.startsWith('--') ? word.indexOf('=') : -1
    const flag = eq === -1 ? word : word.slice(0, eq)
    if (BOOL_FLAGS.has(flag) && eq === -1) {
      flags.push(flag)
      continue
    }
    const kind = VALUE_FLAGS.get(flag)
    if (kind === undefined) {
      issues.push(describeRejected(flag))
      // A refused flag's value is not a positional argument of its own.
      if (flag.startsWith('-') && eq === -1 && !(words[i + 1] ?? '-').startsWith('-')) i++
      continue
    }
    const value = eq === -1 ? words[++i] : word.slice(eq + 1)
    if (value === undefined || value === '') {
      issues.push(`ARGOCD_ENV_HELM_ARGS: ${flag} needs a value`)
      continue
    }
    if (kind === 'values') out.valueFiles.push(...value.split(',').filter((v) => v !== ''))
    else if (kind === 'set') out.set.push(value)
    else if (kind === 'set-string') out.setString.push(value)
    else if (kind === 'api-versions') apiVersions.push(...value.split(',').filter((v) => v !== ''))
    else if (kind === 'namespace') single.namespace = value
    else single.kubeVersion = value
  }
  if (issues.length > 0) return { failures: issues }
  return { ...out, flags, apiVersions, ...single }
}

function describeRejected(word: string): string {
  if (!word.startsWith('-')) {
    return 'ARGOCD_ENV_HELM_ARGS: positional arguments are not allowed (the chart is the app directory)'
  }
  // The flag name only: a rejected flag's value could be anything.
  const name = /^-{1,2}[A-Za-z0-9][A-Za-z0-9-]*/.exec(word)?.[0] ?? '-'
  return `ARGOCD_ENV_HELM_ARGS: ${name} is not allowed (allowed: ${ALLOWED})`
}

const SHELL_ONLY = /[|&;<>()`]/

/**
 * Splits like a POSIX shell word list: whitespace separates words, '…' is
 * literal, "…" allows \" \\ \$ \` escapes, a backslash outside quotes escapes
 * the next character. Shell syntax that would mean something else here
 * (pipes, redirections, `$(…)`, process substitution) is refused, since the
 * text is never run through a shell.
 */
export function splitWords(text: string): string[] | string {
  const words: string[] = []
  let current: string | undefined
  let quote: "'" | '"' | undefined
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i)
    if (quote === "'") {
      if (ch === "'") quote = undefined
      else current = (current ?? '') + ch
    } else if (quote === '"') {
      if (ch === '"') quote = undefined
      else if (ch === '\\' && /["\\$`]/.test(text.charAt(i + 1))) {
        current = (current ?? '') + text.charAt(++i)
      } else if (ch === '`' || (ch === '$' && text.charAt(i + 1) === '(')) return shellError()
      else current = (current ?? '') + ch
    } else if (/\s/.test(ch)) {
      if (current !== undefined) words.push(current)
      current = undefined
    } else if (ch === "'" || ch === '"') {
      quote = ch
      current ??= ''
    } else if (ch === '\\') {
      current = (current ?? '') + text.charAt(++i)
    } else if (SHELL_ONLY.test(ch) || (ch === '$' && text.charAt(i + 1) === '(')) {
      return shellError()
    } else {
      current = (current ?? '') + ch
    }
  }
  if (quote !== undefined) return 'unterminated quote'
  if (current !== undefined) words.push(current)
  return words
}

function shellError(): string {
  return 'shell syntax (pipes, redirections, $(…), backticks) is not supported: the arguments are not run through a shell'
}
