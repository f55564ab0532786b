/**
 * The merged plugin configuration: AVP-style keys (`AVP_TYPE`, `VAULT_ADDR`,
 * `AWS_REGION`, …) after applying precedence
 * `ARGOCD_ENV_<KEY>` > environment `<KEY>` > config file or Kubernetes Secret > default.
 * Keys are case-insensitive (AVP accepts `avp_type: vault` in files); empty
 * values count as unset, as in AVP.
 */
export interface Settings {
  /** The effective value of `key`, or `undefined` when unset or empty. */
  get(key: string): string | undefined
  /** Every key that has a value, upper-cased and sorted (for `--verbose`; never values). */
  keys(): readonly string[]
  /** Where the value of `key` came from, for messages: `env`, `ARGOCD_ENV_`, `config file`, `secret`, `default`. */
  sourceOf(key: string): string | undefined
}

/** Builds a `Settings` from already-read layers, highest precedence first. */
export function settingsFromLayers(
  layers: readonly { readonly name: string; readonly values: ReadonlyMap<string, string> }[],
): Settings {
  const merged = new Map<string, { value: string; source: string }>()
  for (const layer of [...layers].reverse()) {
    for (const [key, value] of layer.values) {
      if (value === '') continue
      merged.set(key.toUpperCase(), { value, source: layer.name })
    }
  }
  return {
    get: (key) => merged.get(key.toUpperCase())?.value,
    keys: () => [...merged.keys()].sort(),
    sourceOf: (key) => merged.get(key.toUpperCase())?.source,
  }
}
