import type { PluginParams } from './plugin-params'

/**
 * Typed readers for plugin parameters. Each pushes a one-line issue naming the
 * parameter when the value has the wrong shape, so every bad parameter is
 * reported at once (errors are data).
 */
export class ParamReader {
  readonly issues: string[] = []

  constructor(readonly params: PluginParams) {}

  string(name: string): string | undefined {
    const value = this.params.get(name)
    if (value === undefined) return undefined
    if (value.string === undefined) {
      if (value.array !== undefined || value.map !== undefined) {
        this.issues.push(`plugin parameter "${name}" must be a string`)
      }
      return undefined
    }
    return value.string
  }

  /** `true`/`false` (any case); empty or unset gives `fallback`. */
  bool(name: string, fallback: boolean): boolean {
    const raw = this.string(name)?.trim().toLowerCase()
    if (raw === undefined || raw === '') return fallback
    if (raw === 'true') return true
    if (raw === 'false') return false
    this.issues.push(`plugin parameter "${name}" must be true or false`)
    return fallback
  }

  /** An array; a single `string` is accepted as a one-item list. */
  array(name: string): readonly string[] {
    const value = this.params.get(name)
    if (value === undefined) return []
    if (value.array !== undefined) return value.array.filter((item) => item.trim() !== '')
    if (value.string !== undefined) return value.string.trim() === '' ? [] : [value.string]
    if (value.map !== undefined) this.issues.push(`plugin parameter "${name}" must be an array`)
    return []
  }

  map(name: string): Readonly<Record<string, string>> {
    const value = this.params.get(name)
    if (value === undefined) return {}
    if (value.map !== undefined) return value.map
    if (value.array !== undefined || (value.string ?? '') !== '') {
      this.issues.push(`plugin parameter "${name}" must be a map`)
    }
    return {}
  }
}
