// Benchmark: how the plugin behaves with many secrets (issue 2 "speed is a
// feature"; AVP #664). Runs the built CLI (dist/cli.cjs) against the Vault
// HTTP test server with an injected per-request latency, and against the
// `file` backend for raw engine throughput, then prints what it measured and
// on which machine. Usage: npm run bench [-- --latency-ms 20 --docs 200]
import { spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { build } from 'esbuild'

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]])
    return pairs
  }, []),
)
const latencyMs = Number(args['latency-ms'] ?? 20)
const docs = Number(args['docs'] ?? 200)
const perDoc = Number(args['placeholders'] ?? 20)
const distinct = Number(args['secrets'] ?? 100)
const bigDocs = Number(args['big-docs'] ?? 3000)

const root = path.resolve(new URL('..', import.meta.url).pathname)
const cli = path.join(root, 'dist/cli.cjs')
const work = mkdtempSync(path.join(os.tmpdir(), 'asp-bench-'))

// The test server is TypeScript; bundle it once for this script.
const fakeVaultBundle = path.join(work, 'fake-vault.cjs')
await build({
  entryPoints: [path.join(root, 'test/support/fake-vault/index.ts')],
  outfile: fakeVaultBundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  logLevel: 'warning',
})
const { startFakeVault } = createRequire(import.meta.url)(fakeVaultBundle)

function deployment(i, refs) {
  const env = refs
    .map((r, j) => `            - name: VAR_${j}\n              value: <path:${r.path}#${r.key}>`)
    .join('\n')
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          env:
${env}
`
}

function writeApp(dir, count, pathOf) {
  mkdirSync(dir, { recursive: true })
  let placeholders = 0
  for (let i = 0; i < count; i++) {
    const refs = Array.from({ length: perDoc }, (_, j) => {
      placeholders++
      return { path: pathOf((i * perDoc + j) % distinct), key: `key${j % 5}` }
    })
    writeFileSync(path.join(dir, `app-${String(i).padStart(5, '0')}.yaml`), deployment(i, refs))
  }
  return placeholders
}

// Asynchronous on purpose: the Vault test server runs in this process.
function timeRun(argv, env) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, [cli, ...argv], {
      env: { PATH: process.env.PATH, HOME: work, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let bytes = 0
    let stderr = ''
    child.stdout.on('data', (d) => (bytes += d.length))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      if (code !== 0) reject(new Error(`run failed (exit ${code}): ${stderr.slice(0, 2000)}`))
      else resolve({ ms, bytes })
    })
  })
}

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(
  os.totalmem() / 2 ** 30,
)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`
const results = { machine, runs: [] }

// 1. Vault with network latency: many inline placeholders over fewer secrets.
const vault = await startFakeVault()
try {
  for (let s = 0; s < distinct; s++) {
    vault.putKv(
      'secret',
      `bench/s${s}`,
      Object.fromEntries(Array.from({ length: 5 }, (_, k) => [`key${k}`, `value-${s}-${k}`])),
    )
  }
  vault.addApprole('bench-role', 'bench-secret', { policies: ['reader'], ttl: 3600 })
  vault.fault({ kind: 'latency', ms: latencyMs })
  const appDir = path.join(work, 'vault-app')
  const placeholders = writeApp(appDir, docs, (s) => `secret/data/bench/s${s}`)
  const env = {
    AVP_TYPE: 'vault',
    VAULT_ADDR: vault.address,
    AVP_AUTH_TYPE: 'approle',
    AVP_ROLE_ID: 'bench-role',
    AVP_SECRET_ID: 'bench-secret',
  }
  vault.resetRequests()
  const run = await timeRun(['generate', '--disable-token-cache', appDir], env)
  const requests = vault.requests.length
  results.runs.push({
    scenario: `vault, ${latencyMs} ms per request`,
    documents: docs,
    placeholders,
    distinctSecrets: distinct,
    vaultRequests: requests,
    wallMs: Math.round(run.ms),
    outputBytes: run.bytes,
    // AVP reads the whole secret once per inline placeholder, one after another
    // (avp-behaviour.md §7), plus its login: a lower bound, not a measurement.
    avpRequestsByItsDesign: placeholders + 1,
    avpLowerBoundMsAtThisLatency: (placeholders + 1) * latencyMs,
  })
} finally {
  await vault.stop()
}

// 2. Engine throughput: a large app through the file backend.
{
  const secrets = {}
  for (let s = 0; s < distinct; s++) {
    secrets[`secret/data/bench/s${s}`] = Object.fromEntries(
      Array.from({ length: 5 }, (_, k) => [`key${k}`, `value-${s}-${k}`]),
    )
  }
  const secretsFile = path.join(work, 'secrets.json')
  writeFileSync(secretsFile, JSON.stringify(secrets))
  const appDir = path.join(work, 'big-app')
  const placeholders = writeApp(appDir, bigDocs, (s) => `secret/data/bench/s${s}`)
  const run = await timeRun(['generate', appDir], { AVP_TYPE: 'file', AVP_FILE_PATH: secretsFile })
  results.runs.push({
    scenario: 'file backend, large app',
    documents: bigDocs,
    placeholders,
    distinctSecrets: distinct,
    wallMs: Math.round(run.ms),
    outputBytes: run.bytes,
  })
}

rmSync(work, { recursive: true, force: true })
console.log(JSON.stringify(results, null, 2))
