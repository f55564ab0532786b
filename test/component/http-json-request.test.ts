// The shared HTTP JSON client against loopback servers: what it sends, what
// it hands back, its limits, and that no failure carries a header, a token or
// a body. The TLS case needs openssl, hence the component project.
import fs from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { inspect } from 'node:util'
import { kubeClient } from '../../src/kube/client'
import { jsonRequest, type JsonAnswer, type JsonRequest } from '../../src/http/json-request'
import { generateTestPki, type TestPki } from '../support/fake-kube-api'

const TOKEN = 'canary-bearer-token-7f3a'

interface Seen {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: string
}

let server: http.Server
let seen: Seen[]
let reply: (req: http.IncomingMessage, res: http.ServerResponse) => void

function listen(s: http.Server): Promise<number> {
  return new Promise((resolve) => {
    s.listen(0, '127.0.0.1', () => {
      resolve((s.address() as AddressInfo).port)
    })
  })
}

function close(s: http.Server): Promise<void> {
  return new Promise((resolve) => {
    s.closeAllConnections()
    s.close(() => {
      resolve()
    })
  })
}

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    })
    reply(req, res)
  })
}

let base: string

beforeAll(async () => {
  server = http.createServer(handler)
  base = `http://127.0.0.1:${String(await listen(server))}`
})

afterAll(() => close(server))

beforeEach(() => {
  seen = []
  reply = (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}')
  }
})

const request = (over: Partial<JsonRequest> = {}): Promise<JsonAnswer> =>
  jsonRequest({
    method: 'GET',
    url: new URL('/v1/thing?x=1', base),
    headers: { Authorization: `Bearer ${TOKEN}` },
    timeoutMs: 2000,
    maxResponseBytes: 1024,
    ...over,
  })

/** Everything an error path could print. */
function shown(answer: JsonAnswer): string {
  return `${JSON.stringify(answer)}\n${inspect(answer, { depth: 10 })}`
}

test('sends method, path, headers and a JSON body; returns status and parsed JSON', async () => {
  reply = (_req, res) => {
    res.writeHead(201, { 'Retry-After': '3' }).end('{"a":[1,2]}')
  }
  const answer = await request({
    method: 'PATCH',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/merge-patch+json' },
    body: { metadata: { annotations: { k: 'v' } } },
  })
  expect(answer).toEqual({ ok: true, status: 201, body: { a: [1, 2] }, retryAfter: '3' })
  expect(seen).toHaveLength(1)
  const [first] = seen
  expect(first?.method).toBe('PATCH')
  expect(first?.url).toBe('/v1/thing?x=1')
  expect(first?.headers['content-type']).toBe('application/merge-patch+json')
  expect(first?.headers.accept).toBe('application/json')
  expect(first?.headers.authorization).toBe(`Bearer ${TOKEN}`)
  expect(JSON.parse(first?.body ?? '')).toEqual({ metadata: { annotations: { k: 'v' } } })
})

test('a body that is not JSON comes back undefined, never quoted', async () => {
  reply = (_req, res) => {
    res.writeHead(500).end('canary-server-text <html>')
  }
  const answer = await request()
  expect(answer).toEqual({ ok: true, status: 500, body: undefined })
  // Only a caller that asks gets the text, to recognise a known answer.
  expect(await request({ keepText: true })).toEqual({
    ok: true,
    status: 500,
    body: undefined,
    text: 'canary-server-text <html>',
  })
})

test('an answer over the size limit is cut off and reported as too-large', async () => {
  reply = (_req, res) => {
    res.writeHead(200).end(JSON.stringify({ pad: 'x'.repeat(5000) }))
  }
  expect(await request()).toEqual({ ok: false, failure: { kind: 'too-large', limit: 1024 } })
})

test('a redirect is returned, not followed: the token goes nowhere else', async () => {
  const other = http.createServer(handler)
  const otherPort = await listen(other)
  try {
    reply = (_req, res) => {
      res.writeHead(302, { Location: `http://127.0.0.1:${String(otherPort)}/steal` }).end()
    }
    const answer = await request()
    expect(answer).toEqual({
      ok: true,
      status: 302,
      body: undefined,
      location: `http://127.0.0.1:${String(otherPort)}/steal`,
    })
    expect(seen.map((s) => s.url)).toEqual(['/v1/thing?x=1'])
  } finally {
    await close(other)
  }
})

test('timeout, cancel and refused connections are data without headers or token', async () => {
  reply = () => undefined // never answers
  const timedOut = await request({ timeoutMs: 50 })
  expect(timedOut).toEqual({ ok: false, failure: { kind: 'timeout' } })
  const controller = new AbortController()
  setTimeout(() => {
    controller.abort()
  }, 20)
  const cancelled = await request({ signal: controller.signal })
  expect(cancelled).toEqual({ ok: false, failure: { kind: 'aborted' } })
  const closed = http.createServer()
  const port = await listen(closed)
  await close(closed)
  const refused = await request({ url: new URL(`http://127.0.0.1:${String(port)}/`) })
  expect(refused).toEqual({ ok: false, failure: { kind: 'refused' } })
  for (const answer of [timedOut, cancelled, refused]) expect(shown(answer)).not.toContain(TOKEN)
})

describe('https', () => {
  let pki: TestPki
  let tls: https.Server
  let tlsBase: string

  beforeAll(async () => {
    pki = generateTestPki(fs.mkdtempSync(path.join(os.tmpdir(), 'asp-http-')))
    tls = https.createServer({ cert: pki.serverCert, key: pki.serverKey }, handler)
    tlsBase = `https://127.0.0.1:${String(await listen(tls))}`
  })

  afterAll(async () => {
    await close(tls)
    fs.rmSync(pki.dir, { recursive: true, force: true })
  })

  test('trusts the given CA; without it the failure is a TLS code, nothing more', async () => {
    const url = new URL('/secure', tlsBase)
    expect(await request({ url, ca: pki.caCert })).toEqual({
      ok: true,
      status: 200,
      body: { ok: true },
    })
    const untrusted = await request({ url })
    expect(untrusted.ok).toBe(false)
    expect(!untrusted.ok && untrusted.failure.kind).toBe('tls')
    expect(shown(untrusted)).not.toContain(TOKEN)
    expect(shown(untrusted)).not.toContain('Authorization')
  })

  test('the Kubernetes client: bearer token, list page by page, merge patch', async () => {
    const port = Number(new URL(tlsBase).port)
    const target = { host: '127.0.0.1', port, api: `127.0.0.1:${String(port)}`, dir: '/sa' }
    const client = kubeClient(
      target,
      { token: TOKEN, ca: pki.caCert },
      { timeoutMs: 2000, maxResponseBytes: 4096 },
    )
    reply = (req, res) => {
      const url = new URL(req.url ?? '', 'https://x')
      const page = url.searchParams.get('continue') === null ? 1 : 2
      const body =
        req.method === 'PATCH'
          ? { kind: 'Application' }
          : { items: [{ page }], metadata: page === 1 ? { continue: 'tok-2' } : {} }
      res.writeHead(200).end(JSON.stringify(body))
    }
    const apps = '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications'
    expect(await client.list(apps)).toEqual({ ok: true, items: [{ page: 1 }, { page: 2 }] })
    const patched = await client.mergePatch(`${apps}/a`, { metadata: { annotations: { k: 'v' } } })
    expect(patched).toEqual({ ok: true, status: 200, body: { kind: 'Application' } })
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      `GET ${apps}?limit=100`,
      `GET ${apps}?limit=100&continue=tok-2`,
      `PATCH ${apps}/a`,
    ])
    expect(seen.every((s) => s.headers.authorization === `Bearer ${TOKEN}`)).toBe(true)
    expect(seen[2]?.headers['content-type']).toBe('application/merge-patch+json')
    reply = (_req, res) => {
      res.writeHead(403).end('{"kind":"Status","code":403}')
    }
    const denied = await client.list(apps)
    expect(denied).toEqual({
      ok: false,
      answer: { ok: true, status: 403, body: { kind: 'Status', code: 403 } },
    })
  })
})
