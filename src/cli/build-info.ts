import packageJson from '../../package.json'

// Replaced at bundle time by scripts/build.mjs (esbuild `define`); absent when
// the sources run under ts-jest, hence the typeof guards.
declare const __PLUGIN_COMMIT__: string | undefined
declare const __PLUGIN_BUILD_DATE__: string | undefined

export const buildInfo = {
  version: packageJson.version,
  commit: typeof __PLUGIN_COMMIT__ === 'string' ? __PLUGIN_COMMIT__ : '',
  buildDate: typeof __PLUGIN_BUILD_DATE__ === 'string' ? __PLUGIN_BUILD_DATE__ : '',
} as const

/** `argocd-secret-plugin v0.1.0 (<commit>) BuildDate: <date>`, the shape of AVP's `version` (docs/design/avp-semantics.md). */
export function versionLine(): string {
  return `argocd-secret-plugin v${buildInfo.version} (${buildInfo.commit}) BuildDate: ${buildInfo.buildDate}\n`
}
