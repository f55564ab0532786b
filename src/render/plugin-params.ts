import { ConfigError } from '../errors'

type Env = Readonly<Record<string, string | undefined>>

/** One plugin parameter as Argo CD sends it (docs/design/argocd-cmp-contract.md: keys `name`, `string`, `array`, `map`). */
export interface ParamValue {
  readonly string?: string
  readonly array?: readonly string[]
  readonly map?: Readonly<Record<string, string>>
}

/** The Application's plugin parameters, by name. */
export type PluginParams = ReadonlyMap<string, ParamValue>

/** `ESC(x)` of docs/design/argocd-cmp-contract.md: upper-case, anything outside `[A-Z0-9_]` becomes `_`. */
export function escParamName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')
}

/**
 * Reads the plugin parameters. `ARGOCD_APP_PARAMETERS` (JSON) is authoritative;
 * it is `null` or absent when the Application sets none (docs/design/argocd-cmp-contract.md).
 * For a name it does not list, `PARAM_<ESC(name)>` and `PARAM_<ESC(name)>_<i>`
 * are read, so the CLI can be driven by hand the same way; map parameters need
 * the JSON, since `ESC` cannot be undone on map keys.
 */
export function readPluginParams(env: Env, names: readonly string[]): PluginParams {
  const params = new Map(parseParametersJson(env['ARGOCD_APP_PARAMETERS']))
  for (const name of names) {
    if (params.has(name)) continue
    const fromEnv = paramFromEnv(env, escParamName(name))
    if (fromEnv !== undefined) params.set(name, fromEnv)
  }
  return params
}

function parseParametersJson(text: string | undefined): [string, ParamValue][] {
  if (text === undefined || text.trim() === '' || text.trim() === 'null') return []
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    // JSON.parse's message quotes its input (docs/design/engineering-rules.md): never surface it.
    throw new ConfigError(['ARGOCD_APP_PARAMETERS is not valid JSON'])
  }
  if (data === null) return []
  if (!Array.isArray(data)) throw new ConfigError(['ARGOCD_APP_PARAMETERS is not a JSON array'])
  const issues: string[] = []
  const out: [string, ParamValue][] = []
  data.forEach((item: unknown, i) => {
    const parsed = parseItem(item)
    if (typeof parsed === 'string') issues.push(`ARGOCD_APP_PARAMETERS[${String(i)}]: ${parsed}`)
    else out.push(parsed)
  })
  if (issues.length > 0) throw new ConfigError(issues)
  return out
}

function parseItem(item: unknown): [string, ParamValue] | string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'not an object'
  const record = item as Record<string, unknown>
  const name = record['name']
  if (typeof name !== 'string' || name === '') return 'has no "name"'
  const value: { string?: string; array?: string[]; map?: Record<string, string> } = {}
  const str = record['string']
  if (str !== undefined && str !== null) {
    if (typeof str !== 'string') return `"${name}": "string" is not a string`
    value.string = str
  }
  const arr = record['array']
  if (arr !== undefined && arr !== null) {
    if (!Array.isArray(arr) || !arr.every((a) => typeof a === 'string')) {
      return `"${name}": "array" is not an array of strings`
    }
    value.array = arr
  }
  const map = record['map']
  if (map !== undefined && map !== null) {
    if (typeof map !== 'object' || Array.isArray(map)) return `"${name}": "map" is not an object`
    const entries = Object.entries(map as Record<string, unknown>)
    if (!entries.every(([, v]) => typeof v === 'string')) {
      return `"${name}": "map" values must be strings`
    }
    value.map = Object.fromEntries(entries) as Record<string, string>
  }
  return [name, value]
}

function paramFromEnv(env: Env, esc: string): ParamValue | undefined {
  const str = env[`PARAM_${esc}`]
  const array: string[] = []
  for (let i = 0; ; i++) {
    const item = env[`PARAM_${esc}_${String(i)}`]
    if (item === undefined) break
    array.push(item)
  }
  if (str === undefined && array.length === 0) return undefined
  return {
    ...(str === undefined ? {} : { string: str }),
    ...(array.length === 0 ? {} : { array }),
  }
}
