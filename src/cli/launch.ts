// The program's first file (dist/cli.cjs), kept tiny: it decides how the
// bundled CLI (dist/plugin.cjs, whose main.ts owns `process` from there on)
// gets compiled, then runs it. See docs/performance.md.
import nodeModule from 'node:module'
import path from 'node:path'
import { requireWithCodeCache } from './code-cache'

const BUNDLE = path.join(__dirname, 'plugin.cjs')

/**
 * Node 22.1+ keeps V8's compiled code between runs
 * (https://nodejs.org/api/module.html#moduleenablecompilecachecachedir),
 * for the bundle and the backend chunks alike. Only when the operator names
 * an absolute directory in the sidecar's own environment: the plugin reads an
 * Application's `ARGOCD_ENV_*` into its settings, never into this variable,
 * so a tenant cannot choose where compiled code is read from. The image
 * warms a root-owned directory at build time and the plugin only reads it.
 */
function enableCompileCache(dir: string | undefined): boolean {
  const enable = (nodeModule as { enableCompileCache?: (dir: string) => { status: number } })
    .enableCompileCache
  if (dir === undefined || !path.isAbsolute(dir) || typeof enable !== 'function') return false
  try {
    // 0 FAILED, 1 ENABLED, 2 ALREADY_ENABLED, 3 DISABLED (module.constants.compileCacheStatus).
    const { status } = enable(dir)
    return status === 1 || status === 2
  } catch {
    // A cache is an optimisation: without it the run is only slower.
    return false
  }
}

if (enableCompileCache(process.env['ARGOCD_SECRET_PLUGIN_COMPILE_CACHE'])) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(BUNDLE)
} else {
  // Node 20: V8's code saved by `npm run build`, when it matches (code-cache.ts).
  requireWithCodeCache(BUNDLE)
}
