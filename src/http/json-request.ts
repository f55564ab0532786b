// One HTTP(S) request that sends and receives JSON, for the APIs we talk to
// without an SDK (the Kubernetes API, Vault, 1Password Connect). Node's own http
// modules rather than fetch: fetch cannot take a per-request CA bundle, and
// no redirect is followed here, so a bearer token never travels to a host
// a redirect names.
import http from 'node:http'
import https from 'node:https'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface JsonRequest {
  readonly method: HttpMethod
  /** `https:` or `http:`. */
  readonly url: URL
  /** `Accept: application/json` is always sent; `Content-Type` defaults to `application/json` with a body. */
  readonly headers?: Readonly<Record<string, string>>
  /** Sent as JSON when defined. */
  readonly body?: unknown
  /** PEM CA bundle to trust instead of Node's default roots. */
  readonly ca?: string
  /** Per-request deadline. */
  readonly timeoutMs: number
  /** The run's signal (deadline or SIGTERM); aborts the request too. */
  readonly signal?: AbortSignal
  /** A larger answer is cut off and reported as `too-large`, never buffered whole. */
  readonly maxResponseBytes: number
  /**
   * A keep-alive agent owned by the caller (an `https.Agent` carries its own
   * TLS options), so many requests share a few connections; the caller
   * destroys it. Without one, each request has a connection of its own.
   */
  readonly agent?: http.Agent
  /** Hand back a non-empty body that is not JSON as `text` (see `JsonAnswer`). */
  readonly keepText?: boolean
}

/**
 * Why a request got no usable answer. `code` is a Node/OpenSSL error code,
 * never a message: Node's messages and error objects can quote the URL and
 * the request options, headers (and so tokens) included.
 */
export type HttpFailure =
  | { readonly kind: 'timeout' }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'tls'; readonly code: string }
  | { readonly kind: 'refused' }
  | { readonly kind: 'network'; readonly code: string }
  | { readonly kind: 'too-large'; readonly limit: number }

export type JsonAnswer =
  | {
      readonly ok: true
      readonly status: number
      /** The parsed JSON body; `undefined` when it is empty or not JSON (the parser's message quotes the input). */
      readonly body: unknown
      /** The `Retry-After` header, as sent. */
      readonly retryAfter?: string
      /** The `Location` header of a redirect, as sent; never followed here. */
      readonly location?: string
      /**
       * With `keepText`, a non-empty body that is not JSON, as sent, so a
       * caller can recognise a known non-JSON answer (a proxy's page, Go's
       * answer to HTTP on a TLS port). Never for a message: it could hold anything.
       */
      readonly text?: string
    }
  | { readonly ok: false; readonly failure: HttpFailure }

const TOO_LARGE = 'ERR_RESPONSE_TOO_LARGE'

/** Sends one request. Never rejects: every failure comes back as data. */
export function jsonRequest(request: JsonRequest): Promise<JsonAnswer> {
  const timeout = AbortSignal.timeout(request.timeoutMs)
  const signal = request.signal === undefined ? timeout : AbortSignal.any([request.signal, timeout])
  const payload = request.body === undefined ? undefined : JSON.stringify(request.body)
  return new Promise((resolve) => {
    const fail = (error: unknown): void => {
      resolve({ ok: false, failure: classify(error, request, timeout.aborted, signal.aborted) })
    }
    try {
      const { url } = request
      const options: https.RequestOptions = {
        protocol: url.protocol,
        host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: {
          Accept: 'application/json',
          ...(payload === undefined
            ? {}
            : {
                'Content-Type': 'application/json',
                'Content-Length': String(Buffer.byteLength(payload)),
              }),
          ...request.headers,
        },
        ...(request.ca === undefined ? {} : { ca: request.ca }),
        // Without the caller's agent, a fresh connection per request: no
        // keep-alive socket of ours holds the process open.
        agent: request.agent ?? false,
        signal,
      }
      const send = url.protocol === 'http:' ? http.request : https.request
      const req = send(options, (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > request.maxResponseBytes)
            res.destroy(Object.assign(new Error('too large'), { code: TOO_LARGE }))
          else chunks.push(chunk)
        })
        res.on('error', fail)
        res.on('end', () => {
          const { 'retry-after': retryAfter, location } = res.headers
          const text = Buffer.concat(chunks).toString('utf8')
          const body = parseJson(text)
          resolve({
            ok: true,
            status: res.statusCode ?? 0,
            body,
            ...(retryAfter === undefined ? {} : { retryAfter }),
            ...(location === undefined ? {} : { location }),
            ...(request.keepText === true && body === undefined && text !== '' ? { text } : {}),
          })
        })
      })
      req.on('error', fail)
      req.end(payload)
    } catch (error) {
      fail(error)
    }
  })
}

function parseJson(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

function classify(
  error: unknown,
  request: JsonRequest,
  timedOut: boolean,
  aborted: boolean,
): HttpFailure {
  const raw = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : ''
  const code = typeof raw === 'string' && /^[A-Z0-9_]{1,60}$/.test(raw) ? raw : 'UNKNOWN'
  if (code === TOO_LARGE) return { kind: 'too-large', limit: request.maxResponseBytes }
  if (timedOut) return { kind: 'timeout' }
  if (aborted) return { kind: 'aborted' }
  if (code === 'ECONNREFUSED') return { kind: 'refused' }
  if (isTlsCode(code)) return { kind: 'tls', code }
  return { kind: 'network', code }
}

/** OpenSSL verification codes and Node's TLS codes. */
function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code === 'EPROTO' ||
    /CERT|SELF_SIGNED|UNABLE_TO_/.test(code)
  )
}
