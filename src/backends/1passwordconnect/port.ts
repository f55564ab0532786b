// The only file that talks to 1Password Connect. Not `@1password/connect`:
// that SDK brings axios (with follow-redirects and form-data) for three GETs,
// and axios errors carry the request config, bearer token included, so every
// error path would need scrubbing. The shared JSON client (src/http) does the
// three GETs; it follows no redirect, so the token never travels to a host a
// redirect names, and its failures are a kind and an error code only.
import { jsonRequest, type HttpFailure, type JsonAnswer } from '../../http/json-request'
import type { ConnectConfig } from './config'

/** Why a request got no HTTP answer. Never a message: Node's can quote the URL. */
export type ConnectFailure = HttpFailure

export type ConnectAnswer = JsonAnswer

/** Our narrow view of the Connect API: authenticated GETs of JSON. Tests may implement it in memory. */
export interface ConnectPort {
  /** `pathAndQuery` starts with `/v1/`. Never rejects. */
  get(pathAndQuery: string, signal: AbortSignal): Promise<ConnectAnswer>
}

/** Largest answer buffered: an item with many long fields stays far below it. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024

export function createConnectPort(config: ConnectConfig): ConnectPort {
  const base = config.host.href.replace(/\/+$/, '')
  return {
    get: (pathAndQuery, signal) =>
      jsonRequest({
        method: 'GET',
        url: new URL(`${base}${pathAndQuery}`),
        headers: { Authorization: `Bearer ${config.token.reveal()}` },
        timeoutMs: config.requestTimeoutMs,
        maxResponseBytes: MAX_ANSWER_BYTES,
        signal,
      }),
  }
}
