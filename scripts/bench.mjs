// The benchmark of docs/performance.md: whole `generate` processes of the
// built CLI (cold start included) on the apps W1–W3 of
// test/support/bench-workloads.ts, through the Vault HTTP test server with 0
// and 10 ms of injected latency per request; `version` against `node -e 0`.
// Runs are interleaved (every case once per round) so that load from other
// work on the machine spreads evenly; figures are medians.
//
//   npm run bench                       print the table and the targets
//   npm run bench -- --rounds 9         more rounds (default 5)
//   npm run bench -- --write            also rewrite the table in docs/performance.md
//   npm run bench -- --compare X/cli.cjs  also run another build's CLI on the same cases,
//                                       interleaved, and print CPU/wall/output side by side
//
// When an `argocd-vault-plugin` binary is on PATH, it runs the same cases.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { build } from 'esbuild'
import * as prettier from 'prettier'

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback
}
const rounds = Number(option('rounds', 5))
const latencies = option('latencies', '0,10').split(',').map(Number)
const only = option('only', '')
const write = args.includes('--write')
// Another build (e.g. main's dist/cli.cjs copied elsewhere): a before/after under the same load.
const compare = option('compare', '') === '' ? '' : path.resolve(option('compare', ''))
const CONCURRENCY = 16 // the Vault backend's default AVP_VAULT_CONCURRENCY

const root = path.resolve(new URL('..', import.meta.url).pathname)
const cli = path.join(root, 'dist/cli.cjs')
const work = mkdtempSync(path.join(os.tmpdir(), 'asp-bench-'))

// The test server and the workloads are TypeScript; bundle them for this script.
await build({
  entryPoints: {
    'fake-vault': path.join(root, 'test/support/fake-vault/index.ts'),
    workloads: path.join(root, 'test/support/bench-workloads.ts'),
  },
  outdir: work,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  logLevel: 'warning',
})
const load = createRequire(import.meta.url)
const { startFakeVault } = load(path.join(work, 'fake-vault.cjs'))
const { WORKLOADS, writeWorkload, secretPath, secretData } = load(path.join(work, 'workloads.cjs'))

// Each measured process reports its own CPU time and peak RSS on fd 3 as it exits.
const probe = path.join(work, 'probe.cjs')
writeFileSync(
  probe,
  `process.on('exit', () => { try { require('node:fs').writeSync(3, JSON.stringify(process.resourceUsage())) } catch {} })\n`,
)

const avp = spawnSync('sh', ['-c', 'command -v argocd-vault-plugin'], {
  encoding: 'utf8',
}).stdout.trim()

/** Runs one process; resolves to wall ms, CPU ms, peak RSS MB, stdout hash and stderr. */
function measure(argv, { env = {}, node = true } = {}) {
  return new Promise((resolve, reject) => {
    const [cmd, cmdArgs] = node
      ? [process.execPath, ['-r', probe, ...argv]]
      : [argv[0], argv.slice(1)]
    const started = process.hrtime.bigint()
    const child = spawn(cmd, cmdArgs, {
      env: { PATH: process.env.PATH, HOME: work, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    })
    const hash = createHash('sha256')
    let stderr = ''
    let usage = ''
    child.stdout.on('data', (d) => hash.update(d))
    child.stderr.on('data', (d) => (stderr += d))
    child.stdio[3].on('data', (d) => (usage += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6
      if (code !== 0) {
        reject(new Error(`${argv.join(' ')} failed (exit ${code}): ${stderr.slice(0, 500)}`))
        return
      }
      const u = usage === '' ? undefined : JSON.parse(usage)
      resolve({
        wallMs,
        cpuMs: u === undefined ? NaN : (u.userCPUTime + u.systemCPUTime) / 1000,
        rssMb: u === undefined ? NaN : u.maxRSS / 1024,
        output: hash.digest('hex'),
        stderr,
      })
    })
  })
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const vault = await startFakeVault()
const maxPaths = Math.max(...WORKLOADS.map((w) => w.paths))
for (let n = 0; n < maxPaths; n++) vault.putKv('secret', secretPath(n), secretData(n))
vault.addApprole('bench-role', 'bench-secret', { policies: ['reader'], ttl: 3600 })
const vaultEnv = {
  AVP_TYPE: 'vault',
  VAULT_ADDR: vault.address,
  AVP_AUTH_TYPE: 'approle',
  AVP_ROLE_ID: 'bench-role',
  AVP_SECRET_ID: 'bench-secret',
}

const workloads = WORKLOADS.filter(
  (w) => only === '' || only.split(',').includes(w.name.split(' ')[0]),
)
const cases = []
for (const w of workloads) {
  const dir = path.join(work, w.name.split(' ')[0])
  writeWorkload(w, dir)
  for (const latency of latencies) {
    // With the token cache, as Argo CD runs it: after the warm-up run no login is needed.
    cases.push({ w, latency, tool: 'ours', argv: [cli, 'generate', dir] })
    if (compare !== '')
      cases.push({ w, latency, tool: 'compare', argv: [compare, 'generate', dir] })
    if (avp !== '')
      cases.push({ w, latency, tool: 'avp', argv: [avp, 'generate', dir], node: false })
  }
}
const samples = new Map()
const record = (key, m) => samples.set(key, [...(samples.get(key) ?? []), m])

try {
  // One unmeasured run per case: the token cache, the page cache.
  for (const c of cases) await measure(c.argv, { env: vaultEnv, node: c.node !== false })
  for (let r = 0; r < rounds; r++) {
    record('node -e 0', await measure(['-e', '0']))
    record('version', await measure([cli, 'version']))
    for (const c of cases) {
      vault.clearFaults()
      if (c.latency > 0) vault.fault({ kind: 'latency', ms: c.latency })
      vault.resetRequests()
      const m = await measure(c.argv, { env: vaultEnv, node: c.node !== false })
      m.requests = vault.requests.length
      m.reads = vault.requests.filter((q) => q.path.startsWith('secret/data/')).length
      record(`${c.tool} ${c.w.name} ${c.latency}`, m)
    }
    process.stderr.write(`round ${r + 1}/${rounds} done\n`)
  }
} finally {
  await vault.stop()
}

const summary = (key) => {
  const ms = samples.get(key) ?? []
  const outputs = new Set(ms.map((m) => m.output))
  return {
    wallMs: median(ms.map((m) => m.wallMs)),
    cpuMs: median(ms.map((m) => m.cpuMs)),
    rssMb: Math.max(...ms.map((m) => m.rssMb)),
    requests: ms[0]?.requests,
    reads: ms[0]?.reads,
    stable: outputs.size === 1 && new Set(ms.map((m) => m.requests)).size === 1,
    stderr: ms.some((m) => m.stderr !== ''),
  }
}

const bare = summary('node -e 0')
const nodeFloor = bare.wallMs
const version = summary('version')
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`)
const rows = []
const checks = []
const check = (what, ok, detail) => checks.push({ what, ok, detail })
const wallAt = {}
for (const w of workloads) {
  for (const latency of latencies) {
    const s = summary(`ours ${w.name} ${latency}`)
    const floor = nodeFloor + Math.ceil(w.paths / CONCURRENCY) * latency
    wallAt[`${w.name.split(' ')[0]} ${latency}`] = s.wallMs
    const a = avp === '' ? undefined : summary(`avp ${w.name} ${latency}`)
    rows.push(
      `| ${w.name} (${w.resources.toLocaleString('en')} / ${w.placeholders.toLocaleString('en')} / ${w.paths.toLocaleString('en')}) | ${latency} ms | ${fmt(s.wallMs)} | ${fmt(s.cpuMs)} | ${s.requests} | ${Math.round(s.rssMb)} MB | ${fmt(floor)} | ${(s.wallMs / floor).toFixed(2)} |` +
        (a === undefined
          ? ''
          : ` ${fmt(a.wallMs)} | ${a.requests} | ${(a.wallMs / s.wallMs).toFixed(1)}× |`),
    )
    if (!s.stable) check(`${w.name} ${latency} ms: same output and requests every run`, false, '')
    if (s.stderr) check(`${w.name} ${latency} ms: nothing on stderr`, false, '')
    // Each path read once, at most one login and one mount lookup (one KV mount).
    const bound = w.paths + 2
    check(
      `${w.name} ${latency} ms: ${w.paths} reads, at most ${bound} requests`,
      s.reads === w.paths && s.requests <= bound,
      `${s.reads} reads, ${s.requests} requests`,
    )
    const w1 = w.name.startsWith('W1')
    if (w1)
      check(
        `W1 ${latency} ms ≤ 1.5 × floor`,
        s.wallMs <= 1.5 * floor,
        `${(s.wallMs / floor).toFixed(2)} ×`,
      )
    if (!w1 && latency === 10) {
      check(
        `${w.name.split(' ')[0]} 10 ms ≤ 3 × floor`,
        s.wallMs <= 3 * floor,
        `${(s.wallMs / floor).toFixed(2)} ×`,
      )
    }
    if (w1) check('W1 peak RSS ≤ 70 MB', s.rssMb <= 70, `${Math.round(s.rssMb)} MB`)
    if (w.name.startsWith('W3'))
      check('W3 peak RSS ≤ 250 MB', s.rssMb <= 250, `${Math.round(s.rssMb)} MB`)
  }
}
if (wallAt['W3 0'] !== undefined && wallAt['W2 0'] !== undefined) {
  const ratio = wallAt['W3 0'] / wallAt['W2 0']
  check('W3 / W2 wall ≤ 12 at 0 ms', ratio <= 12, ratio.toFixed(1))
}
check(
  'version ≤ 1.3 × node -e 0',
  version.wallMs <= 1.3 * nodeFloor,
  `${(version.wallMs / nodeFloor).toFixed(2)} ×`,
)

const cpu = os.cpus()
const load1 = os.loadavg()[0].toFixed(2)
const machine = `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${load1} at the end, ${rounds} rounds`
const table = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
  '',
  `| workload (resources / placeholders / distinct paths) | latency | wall (median) | CPU (median) | requests | peak RSS | floor | wall / floor |${avp === '' ? '' : ' AVP wall | AVP requests | AVP / ours |'}`,
  `| --- | --- | --- | --- | --- | --- | --- | --- |${avp === '' ? '' : ' --- | --- | --- |'}`,
  ...rows,
  `| \`version\` | – | ${fmt(version.wallMs)} | ${fmt(version.cpuMs)} | – | ${Math.round(version.rssMb)} MB | ${fmt(nodeFloor)} (\`node -e 0\`, CPU ${fmt(bare.cpuMs)}) | ${(version.wallMs / nodeFloor).toFixed(2)} |${avp === '' ? '' : ' | | |'}`,
  '',
  'Targets:',
  '',
  ...checks.map(
    (c) => `- ${c.ok ? 'met' : '**not met**'}: ${c.what}${c.detail === '' ? '' : ` (${c.detail})`}`,
  ),
].join('\n')

console.log(table)
if (compare !== '') {
  // Medians of the other build against this one; the output must be the same bytes.
  console.log(`\nCompared with ${compare} (before → after):\n`)
  for (const w of workloads) {
    for (const latency of latencies) {
      const before = summary(`compare ${w.name} ${latency}`)
      const after = summary(`ours ${w.name} ${latency}`)
      const same = (key) => new Set((samples.get(key) ?? []).map((m) => m.output))
      const identical =
        same(`compare ${w.name} ${latency}`).size === 1 &&
        [...same(`compare ${w.name} ${latency}`)][0] === [...same(`ours ${w.name} ${latency}`)][0]
      console.log(
        `- ${w.name.split(' ')[0]} ${latency} ms: CPU ${fmt(before.cpuMs)} → ${fmt(after.cpuMs)}, wall ${fmt(before.wallMs)} → ${fmt(after.wallMs)}, peak RSS ${Math.round(before.rssMb)} → ${Math.round(after.rssMb)} MB, requests ${before.requests} → ${after.requests}, same output: ${identical ? 'yes' : 'NO'}`,
      )
    }
  }
}
if (write) {
  const doc = path.join(root, 'docs/performance.md')
  const text = readFileSync(doc, 'utf8')
  const begin = '<!-- bench:begin -->'
  const end = '<!-- bench:end -->'
  const a = text.indexOf(begin)
  const b = text.indexOf(end)
  if (a < 0 || b < a) throw new Error(`docs/performance.md has no ${begin} … ${end} section`)
  const updated = `${text.slice(0, a + begin.length)}\n${table}\n${text.slice(b)}`
  // As `npm run format` would write it (CI checks the docs with prettier).
  const config = (await prettier.resolveConfig(doc)) ?? {}
  writeFileSync(doc, await prettier.format(updated, { ...config, filepath: doc }))
  console.error('docs/performance.md updated')
}
rmSync(work, { recursive: true, force: true })
