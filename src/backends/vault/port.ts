// The only module of the Vault backend that does transport (docs/design/engineering-rules.md).
// No Vault SDK: node-vault and its axios stack cost more CPU to load than
// Node's own start-up, and their errors carried the token and the login body
// (docs/design/vault-wire.md). Node's http/https do the few calls we need.
import http from 'node:http'
import https from 'node:https'
import { MAX_BODY_MIB } from './errors'
import { encodePath } from './paths'
import {
  VaultTransportError,
  type VaultCall,
  type VaultPort,
  type VaultResponse,
} from './port-types'
import { transportCode } from './translate-error'

export interface PortOptions {
  /** `VAULT_ADDR` without a trailing slash. */
  readonly address: string
  readonly namespace?: string
  /** TLS material already read from disk, and `rejectUnauthorized` (see tls.ts). */
  readonly tls: https.AgentOptions
  /** One attempt, from sending the request to the last byte of the answer. */
  readonly timeoutMs: number
  /** Connections kept open to Vault at most (`AVP_VAULT_CONCURRENCY`). */
  readonly maxSockets?: number
}

/** The largest answer buffered: a KV entry is at most about 1 MiB in Vault's storage. */
export const MAX_BODY_BYTES = MAX_BODY_MIB * 1024 * 1024

/** A standby node redirects to the active one; a chain longer than this is a loop. */
const MAX_REDIRECTS = 5
const REDIRECTS = new Set([301, 302, 303, 307, 308])

interface Request {
  readonly method: 'GET' | 'POST'
  /** Absolute URL; the path already percent-encoded. */
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
}

/**
 * A `VaultPort` on `node:http`/`node:https` with keep-alive agents (at most
 * `maxSockets` connections, so reads reuse them). Nothing is taken from
 * `process.env` (no `VAULT_TOKEN`, `VAULT_SKIP_VERIFY`, proxy variables):
 * every input is in `options`. Each attempt is bounded by `timeoutMs` and by
 * the run's signal; an answer larger than `MAX_BODY_BYTES` is dropped.
 * Redirects (a standby Vault sends clients to the active node) are followed
 * with the same method and body, never from https to http. Failures reject
 * with a `VaultTransportError` carrying an error code only
 * (translate-error.ts): no URL, header or body can reach a message.
 */
export function createVaultPort(options: PortOptions): VaultPort {
  const base = new URL(options.address)
  const prefix = base.pathname.replace(/\/+$/, '')
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? Infinity }
  const agents = {
    http: new http.Agent(agentOptions),
    https: new https.Agent({ ...options.tls, ...agentOptions }),
  }
  const url = (path: string): URL => new URL(`${base.origin}${prefix}/v1/${path}`)
  const send = (request: Request, call: VaultCall): Promise<VaultResponse> =>
    sendFollowing(request, call, { agents, timeoutMs: options.timeoutMs })
  return {
    read: (path, query, call) =>
      send(
        {
          method: 'GET',
          url: url(`${encodePath(path)}${queryString(query)}`),
          headers: headers(options.namespace, call),
        },
        call,
      ),
    write: (path, body, call) =>
      send(
        {
          method: 'POST',
          url: url(encodePath(path)),
          headers: {
            ...headers(options.namespace, call),
            'Content-Type': 'application/json',
          },
          body: JSON.stringify(body),
        },
        call,
      ),
    close() {
      agents.http.destroy()
      agents.https.destroy()
    },
  }
}

function headers(namespace: string | undefined, call: VaultCall): Record<string, string> {
  // X-Vault-Request: required by a Vault Proxy with `require_request_header` (docs/design/vault-wire.md).
  const all: Record<string, string> = { 'X-Vault-Request': 'true', Accept: 'application/json' }
  if (namespace !== undefined) all['X-Vault-Namespace'] = namespace
  if (call.token !== undefined) all['X-Vault-Token'] = call.token
  return all
}

function queryString(query: Readonly<Record<string, string>>): string {
  const text = new URLSearchParams(query).toString()
  return text === '' ? '' : `?${text}`
}

interface Transport {
  readonly agents: { readonly http: http.Agent; readonly https: https.Agent }
  readonly timeoutMs: number
}

async function sendFollowing(
  request: Request,
  call: VaultCall,
  transport: Transport,
): Promise<VaultResponse> {
  let current = request
  for (let hop = 0; ; hop++) {
    const answer = await sendOnce(current, call, transport)
    if (!('location' in answer)) return answer
    const next = redirectTarget(current.url, answer.location)
    if (next === undefined || hop >= MAX_REDIRECTS) throw new VaultTransportError('ERR_REDIRECT')
    current = { ...current, url: next }
  }
}

/** The URL a redirect points to, or `undefined` when it must not be followed. */
function redirectTarget(from: URL, location: string): URL | undefined {
  let to: URL
  try {
    to = new URL(location, from)
  } catch {
    return undefined
  }
  if (to.protocol === 'https:') return to
  // Never downgrade: the token would cross the network in clear text.
  return to.protocol === 'http:' && from.protocol === 'http:' ? to : undefined
}

type Attempt = VaultResponse | { readonly location: string }

function sendOnce(request: Request, call: VaultCall, transport: Transport): Promise<Attempt> {
  if (call.signal.aborted) return Promise.reject(new VaultTransportError('ABORTED'))
  return new Promise<Attempt>((resolve, reject) => {
    let done = false
    const finish = (outcome: { answer: Attempt } | { error: VaultTransportError }): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      call.signal.removeEventListener('abort', onAbort)
      if ('error' in outcome) {
        req.destroy()
        reject(outcome.error)
      } else resolve(outcome.answer)
    }
    const fail = (err: unknown): void => {
      finish({ error: new VaultTransportError(transportCode(err)) })
    }
    const onAbort = (): void => {
      finish({ error: new VaultTransportError('ABORTED') })
    }
    const https = request.url.protocol === 'https:'
    const req = (https ? httpsRequest : http.request)(request.url, {
      method: request.method,
      agent: https ? transport.agents.https : transport.agents.http,
      headers: {
        ...request.headers,
        ...(request.body === undefined
          ? {}
          : { 'Content-Length': String(Buffer.byteLength(request.body)) }),
      },
    })
    const timer = setTimeout(() => {
      finish({ error: new VaultTransportError('TIMEOUT') })
    }, transport.timeoutMs)
    call.signal.addEventListener('abort', onAbort, { once: true })
    // Stays attached: a socket destroyed after the call ended still emits 'error'.
    req.on('error', fail)
    req.on('response', (res) => {
      // A body cut short (reset, or closed before its announced length or
      // last chunk) ends in an ECONNRESET error here, never in 'end'.
      res.on('error', fail)
      const status = res.statusCode ?? 0
      const location = res.headers.location
      if (REDIRECTS.has(status) && location !== undefined) {
        res.resume()
        res.on('end', () => {
          finish({ answer: { location } })
        })
        return
      }
      readBody(res, (body) => {
        if (body === undefined) {
          finish({ error: new VaultTransportError('EMSGSIZE') })
        } else {
          finish({ answer: { status, body: parseBody(body) } })
        }
      })
    })
    req.end(request.body)
  })
}

/** `https.request` takes the agent's TLS options; a function so both requests share one signature. */
function httpsRequest(url: URL, options: https.RequestOptions): http.ClientRequest {
  return https.request(url, options)
}

/**
 * Buffers the answer up to `MAX_BODY_BYTES` and calls `done` with it, or with
 * `undefined` when it is larger.
 */
function readBody(res: http.IncomingMessage, done: (body: string | undefined) => void): void {
  const chunks: Buffer[] = []
  let size = 0
  res.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size > MAX_BODY_BYTES) {
      done(undefined)
      res.destroy()
    } else chunks.push(chunk)
  })
  res.on('end', () => {
    if (size <= MAX_BODY_BYTES) done(Buffer.concat(chunks).toString('utf8'))
  })
}

/**
 * The JSON body, or the text as is when it is not JSON (a proxy's HTML page,
 * Go's plain-text answer to HTTP on a TLS port, a cut body), `''` when empty.
 * The parser's message, which would quote the text, is dropped.
 */
function parseBody(text: string): unknown {
  if (text === '') return ''
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}
