import fs from 'node:fs/promises'
import path from 'node:path'
import { flattenValues, mergeValues, parseValues } from './chart-values'
import type { HelmOptions } from './helm-options'

/**
 * `--set` / `--set-string` arguments. Each is one argv word `--set=k=v`, so a
 * value starting with `-` can never be read as a flag.
 *
 * The dynamic `parameters` command shows the chart's current values in the
 * `set` map (like Argo CD's native Helm parameter list), and Argo CD's UI sends
 * the whole map back. An entry equal to the value the chart already has is
 * therefore dropped: passing it would be a no-op at best, and `--set` would
 * re-type it at worst (`tag: "1.10"` becoming the number 1.1).
 */
export async function setArgs(
  options: HelmOptions,
  appDir: string,
  valueFiles: readonly string[],
): Promise<{ readonly args: string[]; readonly unchanged: number }> {
  const args: string[] = []
  let unchanged = 0
  const entries = Object.entries(options.setMap)
  const current = entries.length > 0 ? await currentValues(options, appDir, valueFiles) : new Map()
  for (const [key, value] of entries) {
    if (current.get(key) === value) unchanged++
    else args.push(`--set=${key}=${escapeSetValue(value)}`)
  }
  for (const [key, value] of Object.entries(options.setStringMap)) {
    args.push(`--set-string=${key}=${escapeSetValue(value)}`)
  }
  args.push(...options.setRaw.map((raw) => `--set=${raw}`))
  args.push(...options.setStringRaw.map((raw) => `--set-string=${raw}`))
  return { args, unchanged }
}

/**
 * A parameter value is literal, so its commas are escaped (helm splits `--set`
 * on them), except in `{a,b}` list syntax. This is Argo CD's own
 * `cleanSetParameters` rule for native Helm parameters.
 */
export function escapeSetValue(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value
  return value.replace(/(?<!\\),/g, '\\,')
}

/** The chart's values as helm will see them before `--set`: values.yaml, then each file, then inline values. */
export async function currentValues(
  options: Pick<HelmOptions, 'inlineValues'>,
  appDir: string,
  valueFiles: readonly string[],
): Promise<Map<string, string>> {
  const texts = [await readOrEmpty(path.join(appDir, 'values.yaml'))]
  for (const file of valueFiles) texts.push(await readOrEmpty(file))
  texts.push(...options.inlineValues.map((inline) => inline.value))
  let tree: Record<string, unknown> = {}
  for (const text of texts) {
    const layer = parseValues(text)
    // An unreadable layer makes the comparison unreliable: then keep every entry.
    if (layer === undefined) return new Map()
    tree = mergeValues(tree, layer)
  }
  return flattenValues(tree, Number.MAX_SAFE_INTEGER)
}

async function readOrEmpty(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8')
  } catch {
    return ''
  }
}
