// The program's first file (dist/cli.cjs), kept tiny: it only decides whether
// Node may cache compiled code, then loads the bundled CLI (dist/plugin.cjs,
// whose main.ts owns `process` from there on). See docs/performance.md.
import nodeModule from 'node:module'
import path from 'node:path'

/**
 * Node 22.1+ can keep V8's compiled code between runs
 * (https://nodejs.org/api/module.html#moduleenablecompilecachecachedir).
 * Only when the operator names an absolute directory in the sidecar's own
 * environment: an Application sets `ARGOCD_ENV_*` and plugin parameters,
 * never this variable, so a tenant cannot choose where compiled code is read
 * from. The image warms a root-owned directory at build time and the plugin
 * then only reads it. Node 20 lacks the API and simply runs uncached.
 */
function enableCompileCache(dir: string | undefined): void {
  const enable = (nodeModule as { enableCompileCache?: (dir: string) => unknown })
    .enableCompileCache
  if (dir === undefined || !path.isAbsolute(dir) || typeof enable !== 'function') return
  try {
    enable(dir)
  } catch {
    // A cache is an optimisation: without it the run is only slower.
  }
}

enableCompileCache(process.env['ARGOCD_SECRET_PLUGIN_COMPILE_CACHE'])
// A path computed at run time: esbuild leaves this require alone, so the
// launcher stays separate from the bundle it loads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(path.join(__dirname, 'plugin.cjs'))
