import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type * as PortModule from '../../../../src/backends/vault/port'
import { createVaultPort } from '../../../../src/backends/vault/port'
import { VaultTransportError, type VaultPort } from '../../../../src/backends/vault/port-types'

interface Seen {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: string
}

let server: http.Server
let address: string
const seen: Seen[] = []
let reply: (req: http.IncomingMessage, res: http.ServerResponse) => void

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      reply(req, res)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  address = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})

beforeEach(() => {
  seen.length = 0
  reply = (_req, res) => {
    json(res, 200, { data: { ok: true } })
  }
})

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
}

const signal = (): AbortSignal => new AbortController().signal
const port = (extra: Partial<Parameters<typeof createVaultPort>[0]> = {}): VaultPort =>
  createVaultPort({ address, tls: {}, timeoutMs: 2000, ...extra })

test('every path segment is percent-encoded on the wire; the query passes through', async () => {
  const p = port()
  await p.read(['secret', 'data', 'a b#c?d%&e'], { version: '2' }, { signal: signal() })
  await p.write(['auth', 'userpass', 'login', 'o&b=c/d'], { password: 'x' }, { signal: signal() })
  p.close()
  expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
    'GET /v1/secret/data/a%20b%23c%3Fd%25%26e?version=2',
    'POST /v1/auth/userpass/login/o%26b%3Dc%2Fd',
  ])
})

test('nothing is taken from VAULT_* in process.env (node-vault reads them implicitly)', async () => {
  const saved = { ...process.env }
  Object.assign(process.env, {
    VAULT_TOKEN: 'canary-env-token',
    VAULT_NAMESPACE: 'env-ns',
    VAULT_PREFIX: '/prefix',
    VAULT_ADDR: 'http://127.0.0.2:1',
    VAULT_SKIP_VERIFY: 'true',
  })
  try {
    const p = port()
    await p.read(['secret', 'data', 'app'], {}, { signal: signal() })
    p.close()
  } finally {
    process.env = saved
  }
  expect(seen).toHaveLength(1)
  expect(seen[0]?.url).toBe('/v1/secret/data/app')
  expect(seen[0]?.headers['x-vault-token']).toBeUndefined()
  expect(seen[0]?.headers['x-vault-namespace']).toBeUndefined()
})

test('the namespace goes on every request, the token only where given, logins carry a JSON body', async () => {
  const p = port({ namespace: 'team-a/' })
  await p.write(
    ['auth', 'approle', 'login'],
    { role_id: 'r', secret_id: 's' },
    { signal: signal() },
  )
  await p.read(['secret', 'data', 'app'], {}, { signal: signal(), token: 'hvs.t' })
  p.close()
  expect(
    seen.map((s) => [
      s.headers['x-vault-namespace'],
      s.headers['x-vault-token'],
      s.headers['x-vault-request'],
    ]),
  ).toEqual([
    ['team-a/', undefined, 'true'],
    ['team-a/', 'hvs.t', 'true'],
  ])
  expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ role_id: 'r', secret_id: 's' })
})

test('HTTP errors resolve with status and body, including the KV v2 404 envelope and non-JSON 502', async () => {
  const p = port()
  const answers: [number, unknown][] = [
    [403, { errors: ['permission denied'] }],
    [404, { data: { data: null, metadata: { version: 3 } } }],
    [204, undefined],
  ]
  for (const [status, body] of answers) {
    reply = (_req, res) => {
      if (body === undefined) res.writeHead(status).end()
      else json(res, status, body)
    }
    await expect(p.read(['x'], {}, { signal: signal() })).resolves.toEqual({
      status,
      body: body ?? '',
    })
  }
  reply = (_req, res) => res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html>502</html>')
  await expect(p.read(['x'], {}, { signal: signal() })).resolves.toEqual({
    status: 502,
    body: '<html>502</html>',
  })
  p.close()
})

test('a stalled answer fails with TIMEOUT after the per-request timeout', async () => {
  reply = () => undefined
  const p = port({ timeoutMs: 150 })
  const started = Date.now()
  await expect(p.read(['x'], {}, { signal: signal() })).rejects.toEqual(
    new VaultTransportError('TIMEOUT'),
  )
  expect(Date.now() - started).toBeLessThan(1500)
  p.close()
})

test('the run signal aborts a call in flight; close() drops the connection', async () => {
  reply = () => undefined
  const p = port({ timeoutMs: 10_000 })
  const controller = new AbortController()
  const pending = p.read(['x'], {}, { signal: controller.signal })
  setTimeout(() => {
    controller.abort()
  }, 50)
  await expect(pending).rejects.toMatchObject({ code: 'ABORTED' })
  const second = p.read(['y'], {}, { signal: signal() })
  setTimeout(() => {
    p.close()
  }, 50)
  await expect(second).rejects.toBeInstanceOf(VaultTransportError)
})

test('connection refused is ECONNREFUSED, with nothing from the axios error', async () => {
  const closed = http.createServer()
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
  const free = (closed.address() as AddressInfo).port
  await new Promise((r) => closed.close(r))
  const p = createVaultPort({
    address: `http://127.0.0.1:${String(free)}`,
    tls: {},
    timeoutMs: 1000,
  })
  const error = await p
    .read(['x'], {}, { signal: signal(), token: 'hvs.canary-token' })
    .catch((e: unknown) => e)
  expect(error).toEqual(new VaultTransportError('ECONNREFUSED'))
  expect(JSON.stringify(error) + String(error)).not.toContain('canary')
  p.close()
})

test("node-vault's debug output stays silent even with DEBUG=node-vault", async () => {
  const savedDebug = process.env['DEBUG']
  process.env['DEBUG'] = 'node-vault'
  const written: string[] = []
  const spy = jest
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk))
      return true
    })
  try {
    let isolated: typeof PortModule | undefined
    let debugOn = false
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      debugOn = (require('debug') as { enabled(name: string): boolean }).enabled('node-vault')
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      isolated = require('../../../../src/backends/vault/port') as typeof PortModule
    })
    expect(debugOn).toBe(true)
    const p = isolated?.createVaultPort({ address, tls: {}, timeoutMs: 1000 })
    await p?.write(
      ['auth', 'approle', 'login'],
      { secret_id: 'canary-secret-id' },
      { signal: signal() },
    )
    p?.close()
  } finally {
    spy.mockRestore()
    if (savedDebug === undefined) delete process.env['DEBUG']
    else process.env['DEBUG'] = savedDebug
  }
  expect(seen).toHaveLength(1)
  expect(written.join('')).toBe('')
})
