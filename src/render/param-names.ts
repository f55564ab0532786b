/**
 * The plugin parameters the render step understands (Application
 * `spec.source.plugin.parameters`). plugin.yaml announces the static ones;
 * parameters.ts announces `values-files` and `set` per chart. A unit test keeps
 * plugin.yaml and this table in step.
 */
export const PARAM = {
  /** `auto` | `helm` | `kustomize` | `plain`: overrides detection (the `--render` flag wins). */
  render: 'render',
  valuesFiles: 'values-files',
  values: 'values',
  set: 'set',
  setString: 'set-string',
  releaseName: 'release-name',
  includeCrds: 'include-crds',
  skipTests: 'skip-tests',
  ignoreMissingValueFiles: 'ignore-missing-value-files',
  resolveValuesPlaceholders: 'resolve-values-placeholders',
  enableHelm: 'enable-helm',
  loadRestrictor: 'load-restrictor',
} as const

export const RENDER_PARAM_NAMES: readonly string[] = Object.values(PARAM)

/** Announced by the dynamic `parameters` command because they depend on the chart. */
export const DYNAMIC_PARAM_NAMES: readonly string[] = [PARAM.valuesFiles, PARAM.set]
