import fs from 'node:fs/promises'
import path from 'node:path'
import { ConfigError } from '../errors'
import type { DebugLog } from '../log'
import type { HelmOptions } from './helm-options'
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
  /** `--values=<file>` arguments, in order. */
  readonly args: readonly string[]
  /** Absolute paths of the user's value files that exist, in order (for `set` comparison). */
  readonly files: readonly string[]
  /** Temp file → what it holds, to name it in helm's error messages. */
  readonly tempNames: ReadonlyMap<string, string>
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
 * Turns the values into `helm template` arguments. Inline values always go
 * through a 0600 file in the run's private temp dir: never into argv, which
 * Argo CD logs (docs/design/argocd-cmp-contract.md). A resolved copy replaces a file only when
 * resolving changed it; the chart's own values.yaml, which helm loads itself,
 * is passed first only then, so the copy replaces every key it sets.
 */
export async function writeValues(values: HelmValues, privateDir: string): Promise<PreparedValues> {
  const writer = new TempValues(privateDir)
  const args: string[] = []
  for (const source of values.sources) {
    const changed = source.resolved !== undefined && source.resolved !== source.text
    if (source.kind === 'inline') {
      args.push(await writer.write(source.resolved ?? source.text ?? '', source.label))
    } else if (changed) {
      args.push(await writer.write(source.resolved ?? '', `${source.label} (resolved)`))
    } else if (source.kind === 'file') {
      args.push(`--values=${source.file ?? ''}`)
    }
  }
  return { args, files: values.files, tempNames: writer.names }
}

async function checkValueFiles(options: HelmOptions, ctx: ValuesContext): Promise<string[]> {
  const issues: string[] = []
  const files: string[] = []
  for (const ref of options.valueFiles) {
    const resolved = await resolveInside(ref.value, ctx.appDir, ctx.repoRoot)
    if (!resolved.ok) {
      issues.push(`${ref.origin}: value file "${ref.value}" ${resolved.reason}`)
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

class TempValues {
  readonly names = new Map<string, string>()

  constructor(private readonly dir: string) {}

  async write(text: string, label: string): Promise<string> {
    const file = path.join(this.dir, `values-${String(this.names.size)}.yaml`)
    await fs.writeFile(file, text, { mode: 0o600, flag: 'wx' })
    this.names.set(file, label)
    return `--values=${file}`
  }
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
