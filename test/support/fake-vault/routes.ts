import { authRoute } from './auth'
import {
  badToken,
  envelope,
  errors,
  PERMISSION_DENIED,
  type FakeRequest,
  type FakeResponse,
} from './http-types'
import { kvRead } from './kv'
import { findMount, type FakeVaultState, type Namespace, type TokenRecord } from './state'

const MOUNTS_PREFIX = 'sys/internal/ui/mounts/'

/** Dispatches a request inside its namespace: logins, the mount lookup, KV reads. */
export function route(state: FakeVaultState, req: FakeRequest): FakeResponse {
  if (req.path.startsWith('auth/')) {
    const answer = authRoute(state, req)
    if (answer !== undefined) return answer
  }
  const record = state.validToken(req.token, req.namespace)
  if (record === undefined) {
    return req.token === undefined ? errors(403, 'permission denied') : badToken(state.dialect)
  }
  const ns = state.namespace(req.namespace)
  if (req.path.startsWith(MOUNTS_PREFIX) || req.path === MOUNTS_PREFIX.slice(0, -1)) {
    return mountLookup(state, req, record, ns)
  }
  if (!state.allowed(record, req.path)) return errors(403, PERMISSION_DENIED)
  const found = findMount(ns.mounts, req.path)
  if (found === undefined)
    return errors(404, `no handler for route "${req.path}". route entry not found.`)
  return kvRead(found.value, found.rest, req)
}

/** `GET sys/internal/ui/mounts/<path>`: the mount that hosts `<path>`, whatever its engine (docs/design/vault-wire.md). */
function mountLookup(
  state: FakeVaultState,
  req: FakeRequest,
  record: TokenRecord,
  ns: Namespace,
): FakeResponse {
  const asked = req.path.slice(MOUNTS_PREFIX.length)
  if (asked === '') return errors(400, 'path not set')
  // The looked-up path may itself start with child namespaces (`child/secret/app`).
  const segments = asked.split('/')
  const { namespace, taken } = state.descend(req.namespace, segments)
  const path = segments.slice(taken).join('/')
  const found = findEngine(taken > 0 ? state.namespace(namespace) : ns, path)
  if (found === undefined || !state.allowsUnder(record, found.mount)) {
    // No 404 here, deliberately: Vault does not let a client enumerate mounts (docs/design/vault-wire.md).
    const first = path.split('/')[0] ?? ''
    return errors(
      403,
      `preflight capability check returned 403, please ensure client's policies grant access to path "${first}/"`,
    )
  }
  // A mount in a child namespace of the request's: Vault reports it relative
  // to the request's namespace, OpenBao with the child's full namespace path.
  const relative = `${req.pathPrefix}${segments
    .slice(0, taken)
    .map((s) => `${s}/`)
    .join('')}`
  const where = state.dialect === 'openbao' && relative !== '' ? `${namespace}/` : relative
  return {
    status: 200,
    body: envelope({
      data: {
        accessor: `${found.type}_${found.mount.replace(/\W/g, '')}`,
        config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0 },
        description: found.type === 'kv' ? 'key/value secret storage' : '',
        external_entropy_access: false,
        local: false,
        options: found.options,
        path: `${where}${found.mount}/`,
        seal_wrap: false,
        type: found.type,
        uuid: '4bb40403-d9ba-d2ee-087a-4c6d371db5f2',
      },
    }),
  }
}

/** Built-in mounts every namespace has; the lookup names their engine like Vault does. */
const BUILT_IN = new Map([
  ['sys', 'system'],
  ['cubbyhole', 'cubbyhole'],
  ['identity', 'identity'],
  ['auth/token', 'token'],
])

function findEngine(
  ns: Namespace,
  path: string,
): { mount: string; type: string; options: Record<string, string> | null } | undefined {
  const kv = findMount(ns.mounts, path)
  // The CLI's rule: "2" is v2; "1", missing or null are v1. Our v1 mounts say null.
  if (kv !== undefined)
    return {
      mount: kv.mount,
      type: 'kv',
      options: kv.value.version === 2 ? { version: '2' } : null,
    }
  const auth = path.startsWith('auth/') ? findMount(ns.auth, path.slice('auth/'.length)) : undefined
  if (auth !== undefined)
    return { mount: `auth/${auth.mount}`, type: auth.value.type, options: null }
  const other = findMount(new Map([...BUILT_IN, ...ns.engines]), path)
  return other === undefined ? undefined : { mount: other.mount, type: other.value, options: null }
}
