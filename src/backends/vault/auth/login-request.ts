import { X509Certificate } from 'node:crypto'
import fs from 'node:fs/promises'
import type { RegisterSecret } from '../../../secrets/redact'
import type { VaultAuthConfig, VaultTlsConfig } from '../config'
import type { VaultPath } from '../paths'
import { fsCode } from '../fs-code'

export type LoginAuth = Exclude<VaultAuthConfig, { method: 'token' }>

/** A login call: `POST /v1/<path>` with `body` (docs/design/vault-wire.md). */
export interface LoginRequest {
  readonly path: VaultPath
  readonly body: Readonly<Record<string, unknown>>
}

export type LoginRequestResult =
  | { readonly ok: true; readonly request: LoginRequest }
  | { readonly ok: false; readonly failure: string }

/** `approle at auth/approle`: how messages and logs name a login. */
export function describeLogin(auth: LoginAuth): string {
  return `${auth.method} at ${auth.mount}`
}

/**
 * Builds the login request of an auth method. The mount is always explicit
 * (node-vault #300 posted Kubernetes logins to `/v1/auth//login`), and the
 * userpass name is one path segment, encoded by the port. The Kubernetes JWT
 * is read here, at login time, and reported through `registerSecret`.
 */
export async function loginRequest(
  auth: LoginAuth,
  registerSecret: RegisterSecret,
): Promise<LoginRequestResult> {
  const login = [...auth.mount.split('/'), 'login']
  switch (auth.method) {
    case 'approle':
      return ok(login, { role_id: auth.roleId.reveal(), secret_id: auth.secretId.reveal() })
    case 'k8s': {
      let jwt: string
      try {
        jwt = (await fs.readFile(auth.jwtPath, 'utf8')).trim()
      } catch (err) {
        return {
          ok: false,
          failure: `cannot read the Kubernetes service-account token ${auth.jwtPath} (AVP_K8S_TOKEN_PATH): ${fsCode(err)}`,
        }
      }
      if (jwt === '') {
        return {
          ok: false,
          failure: `the Kubernetes service-account token ${auth.jwtPath} is empty`,
        }
      }
      registerSecret(jwt)
      return ok(login, { role: auth.role, jwt })
    }
    case 'userpass':
      return ok([...login, auth.username], { password: auth.password.reveal() })
    case 'github':
      return ok(login, { token: auth.token.reveal() })
    case 'cert':
      // The client certificate itself travels in the TLS handshake (tls.ts).
      return ok(login, auth.role === undefined ? {} : { name: auth.role })
  }
}

function ok(path: VaultPath, body: Readonly<Record<string, unknown>>): LoginRequestResult {
  return { ok: true, request: { path, body } }
}

/**
 * Every input of a login, for the token-cache key (token-cache-key.ts): the
 * request's path and body hold all of the credential (both halves of an
 * AppRole, the password, the JWT, the GitHub token); cert auth adds the
 * client certificate's fingerprint, as its credential travels in TLS.
 */
export async function loginInputs(
  request: LoginRequest,
  auth: LoginAuth,
  tls: VaultTlsConfig,
): Promise<string[]> {
  const sortedBody = Object.keys(request.body)
    .sort()
    .map((k) => [k, request.body[k]])
  const inputs = [JSON.stringify(request.path), JSON.stringify(sortedBody)]
  if (auth.method === 'cert') inputs.push(`cert=${await certFingerprint(tls.clientCert)}`)
  return inputs
}

async function certFingerprint(file: string | undefined): Promise<string> {
  if (file === undefined) return 'none'
  try {
    return new X509Certificate(await fs.readFile(file)).fingerprint256
  } catch {
    // The login fails with its own message (tls.ts) if the file is unusable.
    return 'unreadable'
  }
}
