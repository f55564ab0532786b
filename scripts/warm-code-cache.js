// Writes dist/plugin.cjs.cache and dist/backends/<name>.cjs.cache for
// src/cli/code-cache.ts: loads each backend chunk, then runs the bundle once on
// a small app through the `file` backend, compiled exactly as code-cache.ts
// compiles them, and saves V8's code for every function used, after the
// SHA-256 of the file. Called by scripts/build.mjs, with
// stdout ignored and a bare environment.
'use strict'
const { createHash } = require('node:crypto')
const fs = require('node:fs')
const Module = require('node:module')
const os = require('node:os')
const path = require('node:path')
const vm = require('node:vm')

const file = path.resolve(process.argv[2])
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'asp-warm-'))
fs.writeFileSync(
  path.join(work, 'app.yaml'),
  [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: warm',
    '  annotations:',
    '    avp.kubernetes.io/path: warm',
    'stringData:',
    '  a: <path:warm#a>',
    '  b: <a | base64encode>',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: plain',
    'data:',
    '  k: "v"',
    '',
  ].join('\n'),
)
fs.writeFileSync(path.join(work, 'secrets.yaml'), 'warm:\n  a: one\n')
process.env.HOME = work
process.env.AVP_TYPE = 'file'
process.env.AVP_FILE_PATH = path.join(work, 'secrets.yaml')
process.argv = [process.argv[0], file, 'generate', path.join(work, 'app.yaml')]

/** Compiles and runs `target` as src/cli/code-cache.ts does; returns what saves its cache. */
function run(target) {
  const source = fs.readFileSync(target)
  const script = new vm.Script(Module.wrap(source.toString('utf8')), { filename: target })
  const loaded = new Module(target)
  loaded.filename = target
  loaded.paths = []
  const save = () => {
    const hash = createHash('sha256').update(source).digest()
    fs.writeFileSync(`${target}.cache`, Buffer.concat([hash, script.createCachedData()]))
  }
  script
    .runInThisContext()
    .call(
      loaded.exports,
      loaded.exports,
      (id) => loaded.require(id),
      loaded,
      target,
      path.dirname(target),
    )
  return save
}

// Each backend chunk: its module code, which every run of that backend executes.
const chunks = path.join(path.dirname(file), 'backends')
for (const name of fs.existsSync(chunks) ? fs.readdirSync(chunks) : []) {
  if (name.endsWith('.cjs')) run(path.join(chunks, name))()
}

// The bundle ends the process itself once its output is flushed.
let saveBundle
process.on('exit', (code) => {
  fs.rmSync(work, { recursive: true, force: true })
  if (code === 0 && saveBundle !== undefined) saveBundle()
})
saveBundle = run(file)
