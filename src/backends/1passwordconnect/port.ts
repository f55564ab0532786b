// The only file that talks to 1Password Connect. Not `@1password/connect`:
// that SDK brings axios (with follow-redirects and form-data) for three GETs,
// and axios errors carry the request config, bearer token included, so every
// error path would need scrubbing. Node's own fetch does the three GETs, and
// its failures are reduced here to a kind and an errno code.
import type { ConnectConfig } from './config'

/** Why a request got no HTTP answer. Never a message: Node's can quote the URL. */
export type ConnectFailure =
  | { readonly kind: 'timeout' }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'network'; readonly code: string }

export type ConnectAnswer =
  | {
      readonly ok: true
      readonly status: number
      /** The JSON body, or `undefined` when it was not JSON. */
      readonly body: unknown
      readonly retryAfter?: string
    }
  | { readonly ok: false; readonly failure: ConnectFailure }

/** Our narrow view of the Connect API: authenticated GETs of JSON. Tests may implement it in memory. */
export interface ConnectPort {
  /** `pathAndQuery` starts with `/v1/`. Never rejects. */
  get(pathAndQuery: string, signal: AbortSignal): Promise<ConnectAnswer>
}

export function createConnectPort(config: ConnectConfig): ConnectPort {
  const base = config.host.href.replace(/\/+$/, '')
  return {
    async get(pathAndQuery, signal) {
      const timeout = AbortSignal.timeout(config.requestTimeoutMs)
      try {
        const res = await fetch(`${base}${pathAndQuery}`, {
          headers: {
            Authorization: `Bearer ${config.token.reveal()}`,
            Accept: 'application/json',
          },
          // A redirect would carry the token to wherever it points.
          redirect: 'error',
          signal: AbortSignal.any([signal, timeout]),
        })
        const text = await res.text()
        const retryAfter = res.headers.get('retry-after')
        return {
          ok: true,
          status: res.status,
          body: parseJson(text),
          ...(retryAfter === null ? {} : { retryAfter }),
        }
      } catch (error) {
        if (timeout.aborted && !signal.aborted) return { ok: false, failure: { kind: 'timeout' } }
        if (signal.aborted) return { ok: false, failure: { kind: 'aborted' } }
        return { ok: false, failure: { kind: 'network', code: errnoOf(error) } }
      }
    },
  }
}

/** The body as JSON; the parser's message (which quotes the input) is dropped. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** fetch rejects with `TypeError('fetch failed')` whose `cause` has the errno code. */
function errnoOf(error: unknown): string {
  const cause =
    typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined
  const raw =
    typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined
  return typeof raw === 'string' && /^[A-Z0-9_]{2,40}$/.test(raw) ? raw : 'network error'
}
