// The built CLI with AVP_TYPE=1passwordconnect against a loopback fake
// Connect server: names and ids, one lookup per distinct vault and item,
// malformed paths, duplicate labels, 401/403/404, 429 and 5xx with retries,
// the deadline, and no value, token or server message on stderr.
import fs from 'node:fs'
import { configMap, dataOf, failureLines } from '../support/backend-run'
import {
  CONNECT_MESSAGE_CANARY,
  startFakeConnect,
  type FakeConnect,
} from '../support/fake-op-connect'
import { baseEnv, CLI_PATH, runCli } from '../support/run-cli'

const TOKEN = 'canary-connect-token-eyJhbGciOiJFUzI1NiJ9'
const VALUE = 'canary-value-op-5be2'

let connect: FakeConnect
let prod: string
let dbItem: string

beforeAll(async () => {
  if (!fs.existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run npm run build first`)
  connect = await startFakeConnect(TOKEN)
  prod = connect.addVault('Prod')
  const twins = connect.addVault('Twins')
  connect.addVault('Twins')
  dbItem = connect.addItem(prod, 'db', [
    ['username', 'app'],
    ['password', VALUE],
  ])
  connect.addItem(prod, 'api/keys', [['key', 'k-1']])
  connect.addItem(prod, 'dupes', [
    ['password', 'canary-first'],
    ['password', 'canary-second'],
    ['user', 'x'],
  ])
  connect.addItem(prod, 'same', [['a', '1']])
  connect.addItem(prod, 'same', [['a', '2']])
  connect.addItem(twins, 'x', [['a', '1']])
})

afterAll(async () => {
  await connect.close()
})

beforeEach(() => {
  connect.reset()
})

function opEnv(extra: Record<string, string> = {}): Record<string, string> {
  return baseEnv({
    AVP_TYPE: '1passwordconnect',
    OP_CONNECT_HOST: connect.endpoint,
    OP_CONNECT_TOKEN: TOKEN,
    ...extra,
  })
}

function generate(manifest: string, env = opEnv(), args: string[] = []) {
  return runCli(['generate', ...args, '-'], { stdin: manifest, env })
}

test('field labels of items named by title or id; one request per distinct vault and item', async () => {
  const manifest = configMap({
    user: '<path:vaults/Prod/items/db#username>',
    pass: '<path:vaults/Prod/items/db#password>',
    byId: `<path:vaults/${prod}/items/${dbItem}#password>`,
    slash: '<path:vaults/Prod/items/api/keys#key>',
    versioned: '<path:vaults/Prod/items/db#username#7>',
  })
  const result = await generate(manifest, opEnv(), ['--verbose'])
  expect(dataOf(result)).toEqual({
    user: 'app',
    pass: VALUE,
    byId: VALUE,
    slash: 'k-1',
    versioned: 'app',
  })
  expect(connect.requests.sort()).toEqual(
    [
      '/v1/vaults?filter=name eq "Prod"',
      `/v1/vaults/${prod}/items?filter=title eq "db"`,
      `/v1/vaults/${prod}/items?filter=title eq "api/keys"`,
      `/v1/vaults/${prod}/items/${dbItem}`,
      // by id: no lookups, its own GET of the same item (a different path, so a different ref)
      `/v1/vaults/${prod}/items/${dbItem}`,
      `/v1/vaults/${prod}/items/i${'0'.repeat(24)}5`,
    ].sort(),
  )
  expect(result.stderr).toContain('debug: fetch path="vaults/Prod/items/db"')
  expect(result.stderr).not.toContain(VALUE)
  expect(result.stderr).not.toContain(TOKEN)
})

test('malformed paths, missing items and keys, duplicates and ambiguity: one line each', async () => {
  const manifest = configMap({
    a_short: '<path:vaults/Prod#x>',
    b_literal: '<path:vault/Prod/item/db#x>',
    c_missing: '<path:vaults/Prod/items/nope#x>',
    d_vault: '<path:vaults/Nope/items/db#x>',
    e_key: '<path:vaults/Prod/items/db#nokey>',
    f_dupes: '<path:vaults/Prod/items/dupes#user>',
    g_same: '<path:vaults/Prod/items/same#a>',
    h_twins: '<path:vaults/Twins/items/x#a>',
  })
  const lines = failureLines(await generate(manifest, opEnv(), ['--verbose']), [VALUE, TOKEN])
  const at = (field: string) => ` at <stdin>#1 ConfigMap/app data.${field}`
  expect(lines).toEqual([
    `error: CONFIG_INVALID: secret path "vaults/Prod" must be vaults/<vault>/items/<item> (names or ids)${at('a_short')} (<path:vaults/Prod#x>)`,
    `error: CONFIG_INVALID: secret path "vault/Prod/item/db" must be vaults/<vault>/items/<item> (names or ids)${at('b_literal')} (<path:vault/Prod/item/db#x>)`,
    `error: SECRET_NOT_FOUND: item "nope" in vault "Prod" not found in 1Password Connect (or the token may not read it)${at('c_missing')} (<path:vaults/Prod/items/nope#x>)`,
    `error: SECRET_NOT_FOUND: vault "Nope" not found in 1Password Connect (or the token may not read it)${at('d_vault')} (<path:vaults/Nope/items/db#x>)`,
    expect.stringMatching(
      /^error: KEY_NOT_FOUND: .*nokey.* at <stdin>#1 ConfigMap\/app data\.e_key/,
    ),
    `error: CONFIG_INVALID: item "dupes" in vault "Prod" has more than one field labelled "password"; give each field its own label in 1Password${at('f_dupes')} (<path:vaults/Prod/items/dupes#user>)`,
    `error: CONFIG_INVALID: 2 items in vault "Prod" are titled "same"; use the item's id in the path${at('g_same')} (<path:vaults/Prod/items/same#a>)`,
    `error: CONFIG_INVALID: 2 vaults are named "Twins"; use the vault's id in the path${at('h_twins')} (<path:vaults/Twins/items/x#a>)`,
  ])
})

test('401, 403 and a vault that vanished: AUTH_FAILED, ACCESS_DENIED, SECRET_NOT_FOUND', async () => {
  const wrong = failureLines(
    await generate(
      configMap({ a: '<path:vaults/Prod/items/db#password>' }),
      opEnv({ OP_CONNECT_TOKEN: 'canary-wrong-token' }),
    ),
    [TOKEN],
  )
  expect(wrong).toEqual([
    'error: AUTH_FAILED: 1Password Connect rejected the token (OP_CONNECT_TOKEN) reading vault "Prod" (HTTP 401) at <stdin>#1 ConfigMap/app data.a (<path:vaults/Prod/items/db#password>)',
  ])
  connect.fault(`/v1/vaults/${prod}/items`, 403)
  const denied = failureLines(
    await generate(configMap({ a: '<path:vaults/Prod/items/db#password>' })),
  )
  expect(denied).toEqual([
    'error: ACCESS_DENIED: access denied to item "db" in vault "Prod": the Connect token (OP_CONNECT_TOKEN) needs read access to the vault (HTTP 403) at <stdin>#1 ConfigMap/app data.a (<path:vaults/Prod/items/db#password>)',
  ])
  expect(denied.join('\n')).not.toContain(CONNECT_MESSAGE_CANARY)
  const gone = failureLines(
    await generate(configMap({ a: `<path:vaults/${'z'.repeat(26)}/items/db#a>` })),
  )
  expect(gone[0]).toMatch(
    /^error: SECRET_NOT_FOUND: item "db" in vault "z{26}" not found in 1Password Connect at/,
  )
})

test('429 twice then the item: retried and read; a 503 that lasts is UNAVAILABLE after 3 attempts', async () => {
  connect.fault(`/v1/vaults/${prod}/items/${dbItem}`, 429, 2)
  const ok = await generate(configMap({ a: '<path:vaults/Prod/items/db#username>' }))
  expect(dataOf(ok)).toEqual({ a: 'app' })
  expect(connect.requests.filter((r) => r === `/v1/vaults/${prod}/items/${dbItem}`)).toHaveLength(3)

  connect.reset()
  connect.fault('/v1/vaults', 503)
  const lines = failureLines(
    await generate(configMap({ a: '<path:vaults/Prod/items/db#username>' })),
  )
  expect(lines).toEqual([
    'error: UNAVAILABLE: 1Password Connect failed reading vault "Prod" (HTTP 503, 3 attempts) at <stdin>#1 ConfigMap/app data.a (<path:vaults/Prod/items/db#username>)',
  ])
  expect(connect.requests).toHaveLength(3)
})

test('a slow Connect server stops at the run deadline with TIMEOUT', async () => {
  connect.delay(5000)
  const started = Date.now()
  const lines = failureLines(
    await generate(
      configMap({ a: '<path:vaults/Prod/items/db#username>' }),
      opEnv({ AVP_DEADLINE: '1' }),
    ),
  )
  expect(Date.now() - started).toBeLessThan(4000)
  expect(lines).toEqual([
    'error: TIMEOUT: reading vault "Prod" did not finish before the run deadline (AVP_DEADLINE) at <stdin>#1 ConfigMap/app data.a (<path:vaults/Prod/items/db#username>)',
  ])
})

test('configuration: both keys required, the token never echoed', async () => {
  const env = opEnv({ OP_CONNECT_HOST: 'ftp://canary-host' })
  delete env['OP_CONNECT_TOKEN']
  const result = await generate(configMap({ a: '<path:vaults/Prod/items/db#username>' }), env)
  expect(result.code).toBe(2)
  expect(result.stdout).toBe('')
  expect(result.stderr).toContain('OP_CONNECT_HOST: expected an http:// or https:// URL')
  expect(result.stderr).toContain('OP_CONNECT_TOKEN: required when AVP_TYPE=1passwordconnect')
  expect(result.stderr).not.toContain('canary')
})

test('an Application cannot choose the Connect server or token, even where the operator allows every key', async () => {
  const result = await generate(
    configMap({ a: '<path:vaults/Prod/items/db#username>' }),
    opEnv({
      AVP_APP_ENV_ALLOWLIST: '*',
      ARGOCD_ENV_OP_CONNECT_HOST: 'http://127.0.0.2:9',
      ARGOCD_ENV_OP_CONNECT_TOKEN: 'canary-app-token',
    }),
  )
  expect(result.code).toBe(2)
  expect(result.stdout).toBe('')
  expect(result.stderr).toContain(
    "OP_CONNECT_HOST: an Application cannot set it (ARGOCD_ENV_OP_CONNECT_HOST); set it in the sidecar's environment or the plugin's configuration",
  )
  expect(result.stderr).toContain('OP_CONNECT_TOKEN: an Application cannot set it')
  expect(result.stderr).not.toContain('canary')
  expect(connect.requests).toHaveLength(0)
})
