import https from 'node:https'

export interface KubeGetRequest {
  readonly host: string
  readonly port: number
  readonly path: string
  readonly token: string
  /** PEM CA bundle of the cluster (the service account's `ca.crt`). */
  readonly ca: string
  readonly timeoutMs: number
  readonly signal?: AbortSignal
}

/** Why a request got no HTTP answer. `code` is a Node/OpenSSL error code, never a message. */
export type KubeGetFailure =
  | { readonly kind: 'timeout' }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'tls'; readonly code: string }
  | { readonly kind: 'refused' }
  | { readonly kind: 'network'; readonly code: string }

export type KubeGetResult =
  | {
      readonly ok: true
      readonly status: number
      readonly body: string
      /** The `Retry-After` header of a 429 or 503, as sent. */
      readonly retryAfter?: string
    }
  | { readonly ok: false; readonly failure: KubeGetFailure }

/** A Secret is at most 1 MiB; anything far larger is not a Secret and is not buffered. */
const MAX_BODY = 4 * 1024 * 1024

/**
 * One GET against the in-cluster Kubernetes API with the service-account
 * bearer token. Never rejects: failures come back as data carrying only an
 * error code, because Node's error objects can hold request options (and so
 * the token) and must never be printed (docs/design/engineering-rules.md).
 */
export function kubeGet(request: KubeGetRequest): Promise<KubeGetResult> {
  const timeout = AbortSignal.timeout(request.timeoutMs)
  const signal = request.signal === undefined ? timeout : AbortSignal.any([request.signal, timeout])
  return new Promise((resolve) => {
    const fail = (error: unknown): void => {
      resolve({ ok: false, failure: classify(error, timeout.aborted, signal.aborted) })
    }
    try {
      const req = https.request(
        {
          host: request.host,
          port: request.port,
          path: request.path,
          method: 'GET',
          headers: { Authorization: `Bearer ${request.token}`, Accept: 'application/json' },
          ca: request.ca,
          // A fresh connection per run: no keep-alive socket holds the process open.
          agent: false,
          signal,
        },
        (res) => {
          const chunks: Buffer[] = []
          let size = 0
          res.on('data', (chunk: Buffer) => {
            size += chunk.length
            if (size > MAX_BODY)
              res.destroy(Object.assign(new Error('too large'), { code: 'EMSGSIZE' }))
            else chunks.push(chunk)
          })
          res.on('error', fail)
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8')
            const retryAfter = res.headers['retry-after']
            resolve({
              ok: true,
              status: res.statusCode ?? 0,
              body,
              ...(retryAfter === undefined ? {} : { retryAfter }),
            })
          })
        },
      )
      req.on('error', fail)
      req.end()
    } catch (error) {
      fail(error)
    }
  })
}

function classify(error: unknown, timedOut: boolean, aborted: boolean): KubeGetFailure {
  if (timedOut) return { kind: 'timeout' }
  if (aborted) return { kind: 'aborted' }
  const raw = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : ''
  const code = typeof raw === 'string' && /^[A-Z0-9_]+$/.test(raw) ? raw : 'UNKNOWN'
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
