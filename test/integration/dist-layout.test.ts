// dist/ stands on its own and loads only what a run uses (docs/performance.md):
// copies of it are run where no node_modules can be found, with only some of
// the backend chunks present. A run that needed a package from node_modules,
// or the chunk of a backend it did not select, fails here.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import nodeModule from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { startFakeVault, type FakeVault } from '../support/fake-vault'
import { startFakeSecretsManager, type FakeSecretsManager } from '../support/fake-secrets-manager'
import { awsEnv } from '../support/moto'
import { baseEnv, CLI_PATH, runCli } from '../support/run-cli'
import { testdir } from '../support/testdir'

const DIST = path.dirname(CLI_PATH)
const MANIFEST =
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  pw: <path:secret/data/app#pw>\n'

/** A copy of dist/ in a fresh temporary directory, holding only the `chunks` of dist/backends. */
function distWith(chunks: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asp-dist-'))
  // Source maps are not needed to run, and copying them is most of the time.
  fs.cpSync(DIST, dir, { recursive: true, filter: (src) => !src.endsWith('.map') })
  for (const file of fs.readdirSync(path.join(dir, 'backends'))) {
    if (!chunks.some((c) => file === `${c}.cjs` || file === `${c}.cjs.cache`)) {
      fs.rmSync(path.join(dir, 'backends', file))
    }
  }
  return path.join(dir, 'cli.cjs')
}

function noNodeModulesAbove(file: string): boolean {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'node_modules'))) return false
    if (path.dirname(dir) === dir) return true
  }
}

// Each test starts whole processes; a loaded CI machine needs more than jest's 5 s.
jest.setTimeout(30_000)

let vault: FakeVault
let aws: FakeSecretsManager

beforeAll(async () => {
  if (!fs.existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run npm run build first`)
  vault = await startFakeVault()
  vault.putKv('secret', 'app', { pw: 'from-vault' })
  vault.addToken('dist-token')
  aws = await startFakeSecretsManager()
  aws.put('secret/data/app', { string: JSON.stringify({ pw: 'from-aws' }) })
})

afterAll(async () => {
  await vault.stop()
  await aws.close()
})

describe('dist/', () => {
  test('the launcher is tiny and the bundles carry external source maps', () => {
    expect(fs.statSync(CLI_PATH).size).toBeLessThan(4096)
    const plugin = fs.readFileSync(path.join(DIST, 'plugin.cjs'), 'utf8')
    // A map beside the bundle for debugging; no comment makes Node look for it.
    expect(plugin).not.toContain('sourceMappingURL')
    expect(fs.existsSync(path.join(DIST, 'plugin.cjs.map'))).toBe(true)
  })

  test('no SDK is inside the CLI bundle: each sits in its backend chunk', () => {
    const sources = (file: string): string[] =>
      (JSON.parse(fs.readFileSync(path.join(DIST, `${file}.map`), 'utf8')) as { sources: string[] })
        .sources
    const sdk = /node_modules\/(node-vault|axios|follow-redirects|@aws-sdk|@smithy)\//
    expect(sources('plugin.cjs').filter((s) => sdk.test(s))).toEqual([])
    // The Vault backend has no SDK (its port is node:http), so no chunk.
    expect(fs.existsSync(path.join(DIST, 'backends/vault.cjs'))).toBe(false)
    expect(sources('backends/aws.cjs').some((s) => s.includes('node_modules/@aws-sdk/'))).toBe(true)
  })

  test('version and a file-backend run need no backend chunk and no node_modules', async () => {
    const cli = distWith([])
    expect(noNodeModulesAbove(cli)).toBe(true)
    const version = await runCli(['version'], { cliPath: cli })
    expect(version).toMatchObject({ code: 0, stderr: '' })
    expect(version.stdout).toMatch(/^argocd-secret-plugin v/)
    const secrets = testdir({ 'secrets.yaml': 'secret/data/app:\n  pw: from-file\n' })
    const file = await runCli(['generate', '-'], {
      cliPath: cli,
      stdin: MANIFEST,
      env: baseEnv({ AVP_TYPE: 'file', AVP_FILE_PATH: path.join(secrets, 'secrets.yaml') }),
    })
    expect(file).toMatchObject({ code: 0, stderr: '' })
    expect(file.stdout).toContain('pw: from-file')
  })

  test('the compile cache is used only where the operator points, by an absolute path', async () => {
    const cacheDir = path.join(testdir(), 'cache')
    const cwd = testdir()
    for (const dir of [cacheDir, 'relative-cache']) {
      const result = await runCli(['version'], {
        cwd,
        env: baseEnv({ ARGOCD_SECRET_PLUGIN_COMPILE_CACHE: dir }),
      })
      expect(result).toMatchObject({ code: 0, stderr: '' })
    }
    // Never in the working directory (the app); on Node 22+ the absolute one is written.
    expect(fs.readdirSync(cwd)).toEqual([])
    const hasApi = 'enableCompileCache' in nodeModule
    expect(fs.existsSync(cacheDir)).toBe(hasApi)
  })

  test('code caches are used only when they match, and never written at run time', async () => {
    for (const file of ['plugin.cjs', 'backends/aws.cjs']) {
      const code = fs.readFileSync(path.join(DIST, file))
      const saved = fs.readFileSync(path.join(DIST, `${file}.cache`))
      expect(saved.subarray(0, 32)).toEqual(createHash('sha256').update(code).digest())
    }
    const cache = fs.readFileSync(path.join(DIST, 'plugin.cjs.cache'))
    // Another bundle's cache, and V8 data that V8 refuses: both run uncached.
    const wrongHash = Buffer.concat([Buffer.alloc(32), cache.subarray(32)])
    const badData = Buffer.concat([cache.subarray(0, 32), Buffer.from('not V8 code')])
    for (const data of [wrongHash, badData]) {
      const cli = distWith([])
      fs.writeFileSync(path.join(path.dirname(cli), 'plugin.cjs.cache'), data)
      const before = fs.readdirSync(path.dirname(cli), { recursive: true }).sort()
      const result = await runCli(['version'], { cliPath: cli })
      expect(result).toMatchObject({ code: 0, stderr: '' })
      expect(fs.readdirSync(path.dirname(cli), { recursive: true }).sort()).toEqual(before)
      expect(fs.readFileSync(path.join(path.dirname(cli), 'plugin.cjs.cache'))).toEqual(data)
    }
  })

  test('a Vault run needs no backend chunk, also when the bundle’s code cache is refused', async () => {
    const cli = distWith([])
    const corrupt = distWith([])
    fs.writeFileSync(path.join(path.dirname(corrupt), 'plugin.cjs.cache'), 'not a cache')
    for (const cliPath of [cli, corrupt]) {
      const result = await runCli(['generate', '--disable-token-cache', '-'], {
        cliPath,
        stdin: MANIFEST,
        env: baseEnv({
          AVP_TYPE: 'vault',
          VAULT_ADDR: vault.address,
          AVP_AUTH_TYPE: 'token',
          VAULT_TOKEN: 'dist-token',
        }),
      })
      expect(result).toMatchObject({ code: 0, stderr: '' })
      expect(result.stdout).toContain('pw: from-vault')
    }
  })

  test('an AWS run loads only the aws chunk', async () => {
    const result = await runCli(['generate', '-'], {
      cliPath: distWith(['aws']),
      stdin: MANIFEST,
      env: baseEnv(awsEnv(aws.endpoint)),
    })
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toContain('pw: from-aws')
  })
})
