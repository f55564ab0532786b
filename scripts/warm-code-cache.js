// Writes dist/plugin.cjs.cache for the launcher (src/cli/launch.ts): runs the
// bundle once on a small app through the `file` backend, compiled exactly as
// the launcher compiles it, and saves V8's code for every function the run
// used, after the SHA-256 of the bundle. Called by scripts/build.mjs, with
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

const source = fs.readFileSync(file)
const script = new vm.Script(Module.wrap(source.toString('utf8')), { filename: file })
// The bundle ends the process itself once its output is flushed.
process.on('exit', (code) => {
  fs.rmSync(work, { recursive: true, force: true })
  if (code !== 0) return
  const hash = createHash('sha256').update(source).digest()
  fs.writeFileSync(`${file}.cache`, Buffer.concat([hash, script.createCachedData()]))
})
const bundle = new Module(file, module)
bundle.filename = file
bundle.paths = []
script
  .runInThisContext()
  .call(
    bundle.exports,
    bundle.exports,
    (id) => bundle.require(id),
    bundle,
    file,
    path.dirname(file),
  )
