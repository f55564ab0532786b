// Builds dist/ so that no run resolves a module in node_modules and each run
// compiles only what it uses (docs/performance.md):
//   dist/cli.cjs              the launcher: turns on Node's compile cache when
//                             the operator asks, else uses plugin.cjs.cache
//   dist/plugin.cjs           the CLI and every backend's own code, bundled
//   dist/**/*.cjs.cache       V8's code for them, from a warm-up run (Node 20)
//   dist/backends/<name>.cjs  the SDK packages of one backend, pre-bundled and
//                             loaded only when that backend is selected
// A backend's SDK packages are the packages its `port.ts` imports (the one file
// of a backend allowed to import its SDK), so adding a backend with a new SDK
// needs no change here.
import { build } from 'esbuild'
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { builtinModules } from 'node:module'
import path from 'node:path'

const root = path.resolve(new URL('..', import.meta.url).pathname)
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))

// `version` prints these (AVP's shape: version, commit, build date). The
// image build can pass them explicitly; otherwise git and the clock tell.
function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
  } catch {
    return ''
  }
}
const commit = process.env.PLUGIN_COMMIT || gitCommit()
const buildDate = process.env.PLUGIN_BUILD_DATE || new Date().toISOString().replace(/\.\d+Z$/, 'Z')

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // External maps: an inline map would be read and scanned on every start.
  sourcemap: 'external',
  legalComments: 'none',
  // Less text to read and compile on every start; names are kept because
  // error reports and the SDKs use class and function names.
  minify: true,
  keepNames: true,
  logLevel: 'warning',
}

const isBuiltin = (name) => name.startsWith('node:') || builtinModules.includes(name)
const isBare = (spec) => !spec.startsWith('.') && !path.isAbsolute(spec) && !isBuiltin(spec)

/** `src/backends/<name>/port.ts` for every backend that has one. */
function backendPorts() {
  const dir = path.join(root, 'src/backends')
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'port.ts')))
    .map((d) => ({ name: d.name, port: path.join(dir, d.name, 'port.ts') }))
}

/** The packages a backend's port imports (type-only imports do not count: esbuild drops them). */
async function sdkPackagesOf(port) {
  const result = await build({
    ...common,
    entryPoints: [port],
    write: false,
    sourcemap: false,
    // keepNames would list esbuild's own `<runtime>` among the imports.
    minify: false,
    keepNames: false,
    packages: 'external',
    metafile: true,
  })
  const input = result.metafile.inputs[path.relative(root, port)]
  const specs = (input?.imports ?? []).filter((i) => i.external).map((i) => i.path)
  return [...new Set(specs.filter(isBare))].sort()
}

/** The package a bare specifier belongs to: `@scope/name` or `name`. */
function packageName(spec) {
  const parts = spec.split('/')
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

const backends = []
for (const { name, port } of backendPorts()) {
  const sdk = await sdkPackagesOf(port)
  if (sdk.length > 0) backends.push({ name, dir: path.dirname(port), sdk })
}

rmSync(path.join(root, 'dist'), { recursive: true, force: true })

// One chunk per backend: `module.exports = { '<specifier>': require('<specifier>'), ... }`.
await Promise.all(
  backends.map(({ name, sdk }) =>
    build({
      ...common,
      stdin: {
        contents: `module.exports = {\n${sdk
          .map((s) => `  ${JSON.stringify(s)}: require(${JSON.stringify(s)}),`)
          .join('\n')}\n}\n`,
        resolveDir: root,
        sourcefile: `backends/${name}.cjs`,
      },
      outfile: path.join(root, `dist/backends/${name}.cjs`),
    }),
  ),
)

/**
 * In the CLI bundle, an SDK import of a backend's code becomes a property of
 * that backend's chunk, required by a path computed at run time: nothing in
 * node_modules is resolved, and the chunk loads only with its backend.
 */
const codeCache = path.join(root, 'src/cli/code-cache.ts')
const sdkChunks = {
  name: 'backend-sdk-chunks',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (isBuiltin(args.path)) return undefined
      const owner = backends.find((x) => args.importer.startsWith(x.dir + path.sep))
      if (owner === undefined) {
        const elsewhere = backends.find((x) =>
          x.sdk.some((s) => packageName(s) === packageName(args.path)),
        )
        if (elsewhere === undefined) return undefined
        return {
          errors: [
            {
              text: `${args.path} is the ${elsewhere.name} backend's SDK; only src/backends/${elsewhere.name}/port.ts may import it`,
            },
          ],
        }
      }
      if (!owner.sdk.includes(args.path)) {
        return {
          errors: [
            { text: `${args.path}: only src/backends/${owner.name}/port.ts may import an SDK` },
          ],
        }
      }
      return { path: args.path, namespace: 'backend-sdk', pluginData: owner.name }
    })
    b.onLoad({ filter: /.*/, namespace: 'backend-sdk' }, (args) => ({
      contents: [
        `const { requireWithCodeCache } = require(${JSON.stringify(codeCache)})`,
        `const chunk = require('node:path').join(__dirname, 'backends', ${JSON.stringify(`${args.pluginData}.cjs`)})`,
        `module.exports = requireWithCodeCache(chunk)[${JSON.stringify(args.path)}]`,
        '',
      ].join('\n'),
      loader: 'js',
      resolveDir: root,
    }))
  },
}

await build({
  ...common,
  entryPoints: [path.join(root, 'src/cli/main.ts')],
  outfile: path.join(root, 'dist/plugin.cjs'),
  plugins: [sdkChunks],
  define: {
    __PLUGIN_VERSION__: JSON.stringify(pkg.version),
    __PLUGIN_COMMIT__: JSON.stringify(commit),
    __PLUGIN_BUILD_DATE__: JSON.stringify(buildDate),
  },
})

// V8's code for the bundle and the chunks, for Node versions without a
// compile cache (see src/cli/code-cache.ts).
execFileSync(
  process.execPath,
  [path.join(root, 'scripts/warm-code-cache.js'), path.join(root, 'dist/plugin.cjs')],
  {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { PATH: process.env.PATH },
  },
)
if (!existsSync(path.join(root, 'dist/plugin.cjs.cache')))
  throw new Error('the warm-up run wrote no dist/plugin.cjs.cache')

await build({
  ...common,
  entryPoints: [path.join(root, 'src/cli/launch.ts')],
  outfile: path.join(root, 'dist/cli.cjs'),
  sourcemap: false,
  banner: { js: '#!/usr/bin/env node' },
})
