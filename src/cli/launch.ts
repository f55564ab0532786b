// The program's first file (dist/cli.cjs), kept tiny: it decides how the
// bundled CLI (dist/plugin.cjs, whose main.ts owns `process` from there on)
// gets compiled, then runs it. See docs/performance.md.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import nodeModule from 'node:module'
import path from 'node:path'
import vm from 'node:vm'

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

/**
 * Without Node's compile cache (Node 20), `npm run build` leaves V8's code
 * for the bundle in `plugin.cjs.cache`, made by a warm-up run
 * (scripts/warm-code-cache.js): the SHA-256 of the bundle, then the data.
 * Used only when the hash matches this bundle; V8 itself refuses data from
 * another V8 version or flags and then compiles as usual. Nothing is ever
 * written here at run time.
 */
function runWithCodeCache(file: string): boolean {
  let cache: Buffer
  let source: Buffer
  try {
    cache = fs.readFileSync(`${file}.cache`)
    source = fs.readFileSync(file)
  } catch {
    return false
  }
  if (!createHash('sha256').update(source).digest().equals(cache.subarray(0, 32))) return false
  const script = new vm.Script(nodeModule.wrap(source.toString('utf8')), {
    filename: file,
    cachedData: cache.subarray(32),
  })
  const bundle = new nodeModule(file)
  bundle.filename = file
  // The bundle requires only Node built-ins and the chunks by absolute path.
  bundle.paths = []
  const run = script.runInThisContext() as (
    exports: unknown,
    require: (id: string) => unknown,
    module: unknown,
    filename: string,
    dirname: string,
  ) => void
  run.call(
    bundle.exports,
    bundle.exports,
    (id): unknown => bundle.require(id) as unknown,
    bundle,
    file,
    __dirname,
  )
  return true
}

if (
  enableCompileCache(process.env['ARGOCD_SECRET_PLUGIN_COMPILE_CACHE']) ||
  !runWithCodeCache(BUNDLE)
) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(BUNDLE)
}
