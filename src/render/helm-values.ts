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
  /** The run's private temp dir (0700); resolved and inline values are written here. */
  readonly privateDir: string
  readonly resolveValues: (text: string, source: string) => Promise<string>
  readonly log: DebugLog
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
 * Turns the configured value files and inline values into `helm template`
 * arguments. Inline values always go through a 0600 file in the private temp
 * dir: never into argv, which Argo CD logs (contracts.md §1.6). With
 * `resolve-values-placeholders`, the chart's values.yaml and every value file
 * are first passed through the CLI's resolver (AVP #332: a `values.schema.json`
 * rejects `<path:…>`), and the resolved copies are used instead.
 */
export async function prepareValues(
  options: HelmOptions,
  ctx: ValuesContext,
): Promise<PreparedValues> {
  const files = await checkValueFiles(options, ctx)
  const writer = new TempValues(ctx.privateDir)
  const args: string[] = []
  const resolve = options.resolveValuesPlaceholders
  if (resolve) {
    const chartValues = path.join(ctx.appDir, 'values.yaml')
    const text = await readIfExists(chartValues)
    // Helm loads values.yaml itself; a resolved copy passed first replaces every key it sets.
    if (text !== undefined) {
      const resolved = await ctx.resolveValues(text, 'values.yaml')
      if (resolved !== text) args.push(await writer.write(resolved, 'values.yaml (resolved)'))
    }
  }
  for (const file of files) {
    const label = labelOf(file, ctx.appDir)
    if (!resolve) {
      args.push(`--values=${file}`)
      continue
    }
    const text = await fs.readFile(file, 'utf8')
    const resolved = await ctx.resolveValues(text, label)
    args.push(
      resolved === text ? `--values=${file}` : await writer.write(resolved, `${label} (resolved)`),
    )
  }
  for (const inline of options.inlineValues) {
    const text = resolve ? await ctx.resolveValues(inline.value, inline.origin) : inline.value
    args.push(await writer.write(text, inline.origin))
  }
  return { args, files, tempNames: writer.names }
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
