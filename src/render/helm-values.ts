import fs from 'node:fs/promises'
import path from 'node:path'
import { ConfigError } from '../errors'
import type { DebugLog } from '../log'
import type { HelmOptions } from './helm-options'
import type { FifoInput } from './tool-input'
import { resolveInside } from './safe-path'

export interface ValuesContext {
  readonly appDir: string
  /** Value files must stay inside this directory (safe-path.ts). */
  readonly repoRoot: string
  readonly log: DebugLog
}

/**
 * One source of Helm values, in the order helm reads them. With
 * `resolve-values-placeholders`, `text` holds what the file says and the
 * pipeline sets `resolved` before rendering; otherwise a file is passed to
 * helm by path and never read here.
 */
export interface ValuesSource {
  /** `chart`: the chart's own values.yaml (helm loads it anyway); `file`: a value file; `inline`: `values`/`HELM_VALUES`. */
  readonly kind: 'chart' | 'file' | 'inline'
  /** How messages name it: a path relative to the app, or the parameter it came from. */
  readonly label: string
  /** Absolute path of a `chart` or `file` source. */
  readonly file?: string
  readonly text?: string
  /** The text with its placeholders resolved, set by the pipeline (pipeline/values.ts). */
  readonly resolved?: string
}

export interface HelmValues {
  /** Whether the pipeline must resolve the placeholders of every source with a `text`. */
  readonly resolvePlaceholders: boolean
  readonly sources: readonly ValuesSource[]
  /** Absolute paths of the user's value files that exist, in order (for `set` comparison). */
  readonly files: readonly string[]
}

export interface PreparedValues {
  /** `--values=…` arguments, in order. */
  readonly args: readonly string[]
  /** Absolute paths of the user's value files that exist, in order (for `set` comparison). */
  readonly files: readonly string[]
  /** What helm reads on stdin and from FIFOs; the FIFOs still have to be made (fifo.ts). */
  readonly input: { readonly stdin?: string; readonly fifos: readonly FifoInput[] }
  /** Names what helm calls `-` or a FIFO path in its error messages by the source it holds. */
  readonly rename: (text: string) => string
}

/**
 * Collects the configured value files and inline values, checking that every
 * file stays inside the repository. With `resolve-values-placeholders` the
 * chart's values.yaml and every value file are read, so the pipeline can
 * resolve their placeholders before helm runs (AVP #332: a
 * `values.schema.json` rejects `<path:…>`). Runs no tool and resolves nothing.
 */
export async function collectValues(options: HelmOptions, ctx: ValuesContext): Promise<HelmValues> {
  const files = await checkValueFiles(options, ctx)
  const resolve = options.resolveValuesPlaceholders
  const sources: ValuesSource[] = []
  if (resolve) {
    const chartValues = path.join(ctx.appDir, 'values.yaml')
    const text = await readIfExists(chartValues)
    if (text !== undefined)
      sources.push({ kind: 'chart', label: 'values.yaml', file: chartValues, text })
  }
  for (const file of files) {
    const label = labelOf(file, ctx.appDir)
    sources.push(
      resolve
        ? { kind: 'file', label, file, text: await fs.readFile(file, 'utf8') }
        : { kind: 'file', label, file },
    )
  }
  for (const inline of options.inlineValues) {
    sources.push({ kind: 'inline', label: inline.origin, text: inline.value })
  }
  return { resolvePlaceholders: resolve, sources, files }
}

/**
 * Turns the values into `helm template` arguments. Inline values and resolved
 * copies never touch the disk and never go into argv, which Argo CD logs
 * (docs/design/argocd-cmp-contract.md): the first reaches helm on stdin
 * (`--values=-`), each further one through a FIFO in the run's private dir.
 * A resolved copy replaces a file only when resolving changed it; the chart's
 * own values.yaml, which helm loads itself, is passed first only then, so the
 * copy replaces every key it sets.
 */
export function pipeValues(values: HelmValues, privateDir: string): PreparedValues {
  const args: string[] = []
  const fifos: FifoInput[] = []
  const names = new Map<string, string>()
  let stdin: string | undefined
  const pipe = (data: string, label: string): void => {
    if (stdin === undefined) {
      stdin = data
      names.set(STDIN_NAME, label)
      args.push('--values=-')
      return
    }
    const file = path.join(privateDir, `values-${String(fifos.length + 1)}.fifo`)
    fifos.push({ path: file, data })
    names.set(file, label)
    args.push(`--values=${file}`)
  }
  for (const source of values.sources) {
    const changed = source.resolved !== undefined && source.resolved !== source.text
    if (source.kind === 'inline') pipe(source.resolved ?? source.text ?? '', source.label)
    else if (changed) pipe(source.resolved ?? '', `${source.label} (resolved)`)
    else if (source.kind === 'file') args.push(`--values=${source.file ?? ''}`)
  }
  const rename = (text: string): string => {
    let out = text
    for (const [name, label] of names) {
      out =
        name === STDIN_NAME
          ? out.split('failed to parse -:').join(`failed to parse ${label}:`)
          : out.split(name).join(label)
    }
    return out
  }
  return {
    args,
    files: values.files,
    input: stdin === undefined ? { fifos } : { stdin, fifos },
    rename,
  }
}

/** helm's name for a values file read from stdin. */
const STDIN_NAME = '-'

async function checkValueFiles(options: HelmOptions, ctx: ValuesContext): Promise<string[]> {
  const issues: string[] = []
  const files: string[] = []
  for (const ref of options.valueFiles) {
    const resolved = await resolveInside(ref.value, ctx.appDir, ctx.repoRoot)
    if (!resolved.ok) {
      issues.push(`${ref.origin}: value file "${ref.value}" ${resolved.failure}`)
    } else if (resolved.exists) {
      files.push(resolved.path)
    } else if (options.ignoreMissingValueFiles) {
      ctx.log({ kind: 'note', message: `skipping missing value file ${ref.value} (${ref.origin})` })
    } else {
      issues.push(
        `${ref.origin}: value file "${ref.value}" does not exist (set ignore-missing-value-files to skip it)`,
      )
    }
  }
  if (issues.length > 0) throw new ConfigError(issues)
  return files
}

function labelOf(file: string, appDir: string): string {
  return path.relative(appDir, file) || path.basename(file)
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8')
  } catch {
    return undefined
  }
}
