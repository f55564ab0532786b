import { getEventListeners } from 'node:events'
import http from 'node:http'
import { createVaultPort, MAX_BODY_BYTES } from '../../../../src/backends/vault/port'
import { VaultTransportError, type VaultPort } from '../../../../src/backends/vault/port-types'
import { listen, stop } from '../../../support/loopback'

interface Seen {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: string
  remotePort: number
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
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        remotePort: req.socket.remotePort ?? 0,
      })
      reply(req, res)
    })
  })
  address = `http://127.0.0.1:${String(await listen(server))}`
})

afterAll(async () => {
  await stop(server)
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

/** The rejection of `promise`, checked to hold neither the token nor the body sent. */
async function transportError(promise: Promise<unknown>): Promise<VaultTransportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(VaultTransportError)
  expect(JSON.stringify(error) + String(error) + String((error as Error).stack)).not.toMatch(
    /canary/,
  )
  return error as VaultTransportError
}

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

test('a path in VAULT_ADDR (Vault behind a reverse proxy) is kept before /v1', async () => {
  const p = port({ address: `${address}/vault` })
  await p.read(['secret', 'data', 'app'], {}, { signal: signal() })
  p.close()
  expect(seen.map((s) => s.url)).toEqual(['/vault/v1/secret/data/app'])
})

test('nothing is taken from VAULT_* or proxy variables in process.env', async () => {
  const saved = { ...process.env }
  Object.assign(process.env, {
    VAULT_TOKEN: 'canary-env-token',
    VAULT_NAMESPACE: 'env-ns',
    VAULT_PREFIX: '/prefix',
    VAULT_ADDR: 'http://127.0.0.2:1',
    VAULT_SKIP_VERIFY: 'true',
    HTTP_PROXY: 'http://127.0.0.2:1',
    http_proxy: 'http://127.0.0.2:1',
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
  expect(seen[0]?.headers['content-type']).toBe('application/json')
  expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ role_id: 'r', secret_id: 's' })
})

test('HTTP answers resolve with status and body: errors, the KV v2 404 envelope, 204, non-JSON text', async () => {
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
  reply = (_req, res) => res.writeHead(200).end('{"data": {"pass')
  await expect(p.read(['x'], {}, { signal: signal() })).resolves.toEqual({
    status: 200,
    body: '{"data": {"pass',
  })
  p.close()
})

test('a stalled answer fails with TIMEOUT after the per-request timeout', async () => {
  reply = () => undefined
  const p = port({ timeoutMs: 150 })
  const started = Date.now()
  const error = await transportError(
    p.read(['x'], {}, { signal: signal(), token: 'hvs.canary-token' }),
  )
  expect(error.code).toBe('TIMEOUT')
  expect(Date.now() - started).toBeLessThan(1500)
  p.close()
})

test('a body that stalls halfway also times out: the timeout covers the whole answer', async () => {
  reply = (_req, res) => {
    res.writeHead(200, { 'Content-Length': '100' }).write('{"data":')
  }
  const p = port({ timeoutMs: 150 })
  expect((await transportError(p.read(['x'], {}, { signal: signal() }))).code).toBe('TIMEOUT')
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
  expect((await transportError(pending)).code).toBe('ABORTED')
  const second = p.read(['y'], {}, { signal: signal() })
  setTimeout(() => {
    p.close()
  }, 50)
  await transportError(second)
})

test('each call removes its abort listener, so a run signal never collects them', async () => {
  const controller = new AbortController()
  const p = port()
  await Promise.all(
    // Ten at once: Node's own limit, so an eleventh would also warn on stderr.
    Array.from({ length: 10 }, (_, i) =>
      p.read(['x', String(i)], {}, { signal: controller.signal }),
    ),
  )
  reply = (_req, res) => res.writeHead(500).end()
  await p.read(['y'], {}, { signal: controller.signal })
  p.close()
  expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
})

test('connection refused is ECONNREFUSED, with nothing of the Node error', async () => {
  const closed = http.createServer()
  const free = await listen(closed)
  await stop(closed)
  const p = createVaultPort({
    address: `http://127.0.0.1:${String(free)}`,
    tls: {},
    timeoutMs: 1000,
  })
  const error = await transportError(
    p.read(['x'], {}, { signal: signal(), token: 'hvs.canary-token' }),
  )
  expect(error).toEqual(new VaultTransportError('ECONNREFUSED'))
  expect(error.cause).toBeUndefined()
  p.close()
})

test.each([
  [
    'reset before any answer',
    (_req: http.IncomingMessage, res: http.ServerResponse) => res.socket?.destroy(),
  ],
  [
    'a body cut before its Content-Length',
    (_req: http.IncomingMessage, res: http.ServerResponse) => {
      res.writeHead(200, { 'Content-Length': '100' })
      res.write('{"data":{"password":"canary-half', () => res.socket?.destroy())
    },
  ],
  [
    'a chunked body cut before its last chunk',
    (_req: http.IncomingMessage, res: http.ServerResponse) => {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.write('{"data":{"password":"canary-half', () => res.socket?.destroy())
    },
  ],
])('%s is ECONNRESET, carrying neither token nor body', async (_what, answer) => {
  reply = answer
  const p = port()
  const error = await transportError(
    p.write(['auth', 'approle', 'login'], { secret_id: 'canary-id' }, { signal: signal() }),
  )
  expect(error.code).toBe('ECONNRESET')
  p.close()
})

test('an answer larger than the bound is dropped as EMSGSIZE', async () => {
  reply = (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end(`{"data":{"v":"${'x'.repeat(MAX_BODY_BYTES)}"}}`)
  }
  const p = port()
  expect((await transportError(p.read(['big'], {}, { signal: signal() }))).code).toBe('EMSGSIZE')
  p.close()
})

test('connections are kept alive and bounded by maxSockets', async () => {
  let inFlight = 0
  let most = 0
  reply = (_req, res) => {
    inFlight++
    most = Math.max(most, inFlight)
    setTimeout(() => {
      inFlight--
      json(res, 200, { data: {} })
    }, 20)
  }
  const p = port({ maxSockets: 2 })
  await Promise.all(
    Array.from({ length: 8 }, (_, i) => p.read(['x', String(i)], {}, { signal: signal() })),
  )
  // Idle now: a later call reuses an open connection instead of a new one.
  await p.read(['later'], {}, { signal: signal() })
  p.close()
  expect(seen).toHaveLength(9)
  expect(most).toBe(2)
  expect(new Set(seen.map((s) => s.remotePort)).size).toBe(2)
})

describe('redirects', () => {
  test('a standby’s 307 is followed with the same method, body, token and namespace', async () => {
    reply = (req, res) => {
      if (req.url?.startsWith('/v1/auth')) {
        res.writeHead(307, { Location: `${address}/active${req.url}` }).end()
      } else json(res, 200, { auth: { client_token: 't' } })
    }
    const p = port({ namespace: 'ns' })
    await expect(
      p.write(['auth', 'approle', 'login'], { role_id: 'r' }, { signal: signal(), token: 'tk' }),
    ).resolves.toEqual({ status: 200, body: { auth: { client_token: 't' } } })
    p.close()
    expect(
      seen.map((s) => [
        s.method,
        s.url,
        s.body,
        s.headers['x-vault-token'],
        s.headers['x-vault-namespace'],
      ]),
    ).toEqual([
      ['POST', '/v1/auth/approle/login', '{"role_id":"r"}', 'tk', 'ns'],
      ['POST', '/active/v1/auth/approle/login', '{"role_id":"r"}', 'tk', 'ns'],
    ])
  })

  test('a redirect loop stops with ERR_REDIRECT', async () => {
    reply = (req, res) => res.writeHead(307, { Location: req.url ?? '/' }).end()
    const p = port()
    const error = await transportError(p.read(['x'], {}, { signal: signal(), token: 'canary' }))
    expect(error.code).toBe('ERR_REDIRECT')
    expect(seen).toHaveLength(6)
    p.close()
  })
})
