// The only module of the Vault backend that does transport (docs/design/engineering-rules.md).
// No Vault SDK: node-vault and its axios stack cost more CPU to load than
// Node's own start-up, and their errors carried the token and the login body
// (docs/design/vault-wire.md). The project's JSON client (http/json-request.ts)
// sends each request; this file adds Vault's headers, keep-alive agents and
// redirects.
import http from 'node:http'
import https from 'node:https'
import { jsonRequest, type HttpFailure, type JsonAnswer } from '../../http/json-request'
import { MAX_BODY_MIB } from './errors'
import { encodePath } from './paths'
import {
  VaultTransportError,
  type VaultCall,
  type VaultPort,
  type VaultResponse,
} from './port-types'

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
  readonly body?: Readonly<Record<string, unknown>>
}

/**
 * A `VaultPort` with keep-alive agents (at most `maxSockets` connections, so
 * reads reuse them). Nothing is taken from `process.env` (no `VAULT_TOKEN`,
 * `VAULT_SKIP_VERIFY`, proxy variables): every input is in `options`. Each
 * attempt is bounded by `timeoutMs` and by the run's signal; an answer larger
 * than `MAX_BODY_BYTES` is dropped. Redirects (a standby Vault sends clients
 * to the active node) are followed with the same method and body, never from
 * https to http. Failures reject with a `VaultTransportError` carrying an
 * error code only: no URL, header or body can reach a message.
 */
export function createVaultPort(options: PortOptions): VaultPort {
  const base = new URL(options.address)
  const prefix = base.pathname.replace(/\/+$/, '')
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? Infinity }
  const agents: Agents = {
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
          headers: headers(options.namespace, call),
          body,
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
  const all: Record<string, string> = { 'X-Vault-Request': 'true' }
  if (namespace !== undefined) all['X-Vault-Namespace'] = namespace
  if (call.token !== undefined) all['X-Vault-Token'] = call.token
  return all
}

function queryString(query: Readonly<Record<string, string>>): string {
  const text = new URLSearchParams(query).toString()
  return text === '' ? '' : `?${text}`
}

interface Agents {
  readonly http: http.Agent
  readonly https: https.Agent
}

interface Transport {
  readonly agents: Agents
  readonly timeoutMs: number
}

async function sendFollowing(
  request: Request,
  call: VaultCall,
  transport: Transport,
): Promise<VaultResponse> {
  let current = request
  for (let hop = 0; ; hop++) {
    if (call.signal.aborted) throw new VaultTransportError('ABORTED')
    const answer = await jsonRequest({
      method: current.method,
      url: current.url,
      headers: current.headers,
      body: current.body,
      timeoutMs: transport.timeoutMs,
      signal: call.signal,
      maxResponseBytes: MAX_BODY_BYTES,
      keepText: true,
      agent: current.url.protocol === 'https:' ? transport.agents.https : transport.agents.http,
    })
    if (!answer.ok) throw new VaultTransportError(failureCode(answer.failure))
    if (!REDIRECTS.has(answer.status) || answer.location === undefined) return response(answer)
    const next = redirectTarget(current.url, answer.location)
    if (next === undefined || hop >= MAX_REDIRECTS) throw new VaultTransportError('ERR_REDIRECT')
    current = { ...current, url: next }
  }
}

/** The status and the body: parsed JSON, else the text as sent (see errors.ts), else `''`. */
function response(answer: JsonAnswer & { ok: true }): VaultResponse {
  return { status: answer.status, body: answer.body ?? answer.text ?? '' }
}

/** The code a `VaultTransportError` carries for each failure of the JSON client. */
function failureCode(failure: HttpFailure): string {
  switch (failure.kind) {
    case 'timeout':
      return 'TIMEOUT'
    case 'aborted':
      return 'ABORTED'
    case 'refused':
      return 'ECONNREFUSED'
    case 'too-large':
      return 'EMSGSIZE'
    case 'tls':
    case 'network':
      return failure.code
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
