// Loads the files of dist/ with V8 code saved at build time, for Node
// versions without a compile cache (Node 20). Used by the launcher for the
// bundle, and by the bundle for the backend chunks (scripts/build.mjs).
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import nodeModule from 'node:module'
import path from 'node:path'
import vm from 'node:vm'

type CommonJsFunction = (
  exports: unknown,
  require: (id: string) => unknown,
  module: unknown,
  filename: string,
  dirname: string,
) => void

/**
 * `require(file)`, but compiled with `<file>.cache` when it holds the
 * SHA-256 of this very file followed by V8's code (scripts/warm-code-cache.js
 * writes it during `npm run build`). V8 itself refuses code from another V8
 * version or other flags and then compiles as usual. Nothing is written here
 * at run time. `file` is absolute and requires only Node built-ins or
 * absolute paths.
 */
export function requireWithCodeCache(file: string): unknown {
  const cached = require.cache[file]
  if (cached !== undefined) return cached.exports as unknown
  return runWithCodeCache(file) ?? requireFile(file)
}

function requireFile(file: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as unknown
}

function runWithCodeCache(file: string): unknown {
  let cache: Buffer
  let source: Buffer
  try {
    cache = fs.readFileSync(`${file}.cache`)
    source = fs.readFileSync(file)
  } catch {
    return undefined
  }
  if (!createHash('sha256').update(source).digest().equals(cache.subarray(0, 32))) return undefined
  const script = new vm.Script(nodeModule.wrap(source.toString('utf8')), {
    filename: file,
    cachedData: cache.subarray(32),
  })
  const loadedModule = new nodeModule(file)
  loadedModule.filename = file
  loadedModule.paths = []
  // Registered as `require` would: loaded once per process, listed like any module.
  require.cache[file] = loadedModule
  const run = script.runInThisContext() as CommonJsFunction
  run.call(
    loadedModule.exports,
    loadedModule.exports,
    nodeModule.createRequire(file),
    loadedModule,
    file,
    path.dirname(file),
  )
  loadedModule.loaded = true
  return loadedModule.exports as unknown
}
