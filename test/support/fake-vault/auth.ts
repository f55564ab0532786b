import { badToken, envelope, errors, type FakeRequest, type FakeResponse } from './http-types'
import { findMount, type AuthEntry, type AuthMount, type FakeVaultState } from './state'

/** `POST|PUT auth/<mount>/login[/<user>]` and `GET auth/token/lookup-self` (docs/design/vault-wire.md). */
export function authRoute(state: FakeVaultState, req: FakeRequest): FakeResponse | undefined {
  const ns = state.namespace(req.namespace)
  if (req.path === 'auth/token/lookup-self') return lookupSelf(state, req)
  const found = findMount(ns.auth, req.path.slice('auth/'.length))
  if (!found?.rest.startsWith('login')) return undefined
  if (req.method !== 'POST' && req.method !== 'PUT') return errors(405, 'unsupported operation')
  const body =
    typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {}
  const result = login(found.value, found.rest, body, req)
  if ('status' in result) return result
  const token = state.issueToken(req.namespace, result.entry.policies, result.entry.ttl)
  return {
    status: 200,
    body: envelope({
      auth: {
        client_token: token,
        accessor: 'fake-accessor',
        policies: ['default', ...result.entry.policies],
        token_policies: ['default', ...result.entry.policies],
        metadata: result.metadata,
        lease_duration: result.entry.ttl,
        renewable: true,
        entity_id: 'fake-entity',
        token_type: 'service',
        orphan: true,
        mfa_requirement: null,
        num_uses: 0,
      },
    }),
  }
}

type LoginResult = FakeResponse | { entry: AuthEntry; metadata: Record<string, string> }

function login(
  mount: AuthMount,
  rest: string,
  body: Record<string, unknown>,
  req: FakeRequest,
): LoginResult {
  const str = (k: string): string | undefined =>
    typeof body[k] === 'string' && body[k] !== '' ? body[k] : undefined
  switch (mount.type) {
    case 'approle': {
      const roleId = str('role_id')
      const secretId = str('secret_id')
      if (roleId === undefined) return errors(400, 'missing role_id')
      if (secretId === undefined) return errors(400, 'missing secret_id')
      const entry = mount.entries.get(roleId)
      if (entry?.secret !== secretId) return errors(400, 'invalid role or secret ID')
      return { entry, metadata: { role_name: roleId } }
    }
    case 'kubernetes': {
      const role = str('role')
      const jwt = str('jwt')
      if (role === undefined) return errors(400, 'missing role')
      if (jwt === undefined) return errors(400, 'missing jwt')
      const entry = mount.entries.get(role)
      if (entry === undefined) return errors(400, `invalid role name "${role}"`)
      if (entry.secret !== jwt) return errors(403, 'permission denied')
      return { entry, metadata: { role, service_account_name: 'argocd-repo-server' } }
    }
    case 'userpass': {
      if (!rest.startsWith('login/')) return errors(400, 'missing username')
      const username = rest.slice('login/'.length).toLowerCase()
      const password = str('password')
      if (password === undefined) return errors(400, 'missing password')
      const entry = mount.entries.get(username)
      if (entry?.secret !== password) return errors(400, 'invalid username or password')
      return { entry, metadata: { username } }
    }
    case 'github': {
      const token = str('token')
      if (token === undefined) return errors(400, 'missing token')
      const entry = mount.entries.get(token)
      if (entry === undefined) return errors(400, 'failed to verify user')
      return { entry, metadata: { username: 'fred', org: 'acme-org' } }
    }
    case 'cert':
      return certLogin(mount, str('name'), req)
  }
}

/** Cert auth: the client certificate presented in the TLS handshake must be registered (by fingerprint). */
function certLogin(mount: AuthMount, name: string | undefined, req: FakeRequest): LoginResult {
  const peer = req.tls?.getPeerCertificate()
  const fingerprint =
    peer !== undefined && 'fingerprint256' in peer ? peer.fingerprint256 : undefined
  const candidates = [...mount.entries].filter(([n]) => name === undefined || n === name)
  const match = candidates.find(
    ([, entry]) => fingerprint !== undefined && entry.secret === fingerprint,
  )
  if (match === undefined)
    return errors(400, 'invalid certificate or no client certificate supplied')
  return { entry: match[1], metadata: { cert_name: match[0] } }
}

function lookupSelf(state: FakeVaultState, req: FakeRequest): FakeResponse {
  const record = state.validToken(req.token, req.namespace)
  if (record === undefined) return badToken(state.dialect)
  const ttl =
    record.expiresAt === null ? 0 : Math.max(0, Math.round((record.expiresAt - Date.now()) / 1000))
  return {
    status: 200,
    body: envelope({
      data: {
        // Vault's lookup-self returns the token itself as `id`.
        id: req.token,
        policies: ['default', ...record.policies],
        ttl,
        creation_ttl: record.ttl,
        expire_time: record.expiresAt === null ? null : new Date(record.expiresAt).toISOString(),
        renewable: !record.root,
        path: 'auth/token/create',
      },
    }),
  }
}
