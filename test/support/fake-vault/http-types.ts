import type { TLSSocket } from 'node:tls'

/** A request as the handlers see it: the path is relative to the namespace, segments decoded. */
export interface FakeRequest {
  readonly method: string
  /** Decoded path relative to the request's namespace, without `/v1/`: `secret/data/app`. */
  readonly path: string
  readonly query: URLSearchParams
  readonly namespace: string
  /** Namespace segments taken from the front of the URL path (`team-a/` in `/v1/team-a/secret/...`). */
  readonly pathPrefix: string
  readonly token: string | undefined
  readonly body: unknown
  /** The TLS socket when the request came over HTTPS (cert auth reads the client certificate). */
  readonly tls: TLSSocket | undefined
}

export interface FakeResponse {
  readonly status: number
  /** An object is sent as JSON; a string as text/html (the non-JSON 502 of a proxy). */
  readonly body: unknown
}

export const PERMISSION_DENIED = '1 error occurred:\n\t* permission denied\n\n'
export const INVALID_TOKEN = '2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n'

/** The answer to an unknown, revoked or expired token: OpenBao never says `invalid token`. */
export function badToken(dialect: 'vault' | 'openbao'): FakeResponse {
  return dialect === 'openbao' ? errors(403, 'permission denied') : errors(403, INVALID_TOKEN)
}

export function errors(status: number, ...messages: string[]): FakeResponse {
  return { status, body: { errors: messages } }
}

/** The logical-endpoint envelope (docs/design/vault-wire.md). */
export function envelope(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {
    request_id: '00000000-0000-4000-8000-000000000000',
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data: null,
    wrap_info: null,
    warnings: null,
    auth: null,
    ...fields,
  }
}
