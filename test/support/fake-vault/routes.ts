import { authRoute } from './auth'
import {
  envelope,
  errors,
  INVALID_TOKEN,
  PERMISSION_DENIED,
  type FakeRequest,
  type FakeResponse,
} from './http-types'
import { kvRead } from './kv'
import { findMount, type FakeVaultState } from './state'

const MOUNTS_PREFIX = 'sys/internal/ui/mounts/'

/** Dispatches a request inside its namespace: logins, the mount lookup, KV reads. */
export function route(state: FakeVaultState, req: FakeRequest): FakeResponse {
  if (req.path.startsWith('auth/')) {
    const answer = authRoute(state, req)
    if (answer !== undefined) return answer
  }
  const record = state.validToken(req.token, req.namespace)
  if (record === undefined) {
    return req.token === undefined ? errors(403, 'permission denied') : errors(403, INVALID_TOKEN)
  }
  const ns = state.namespace(req.namespace)
  if (req.path.startsWith(MOUNTS_PREFIX) || req.path === MOUNTS_PREFIX.slice(0, -1)) {
    const path = req.path.slice(MOUNTS_PREFIX.length)
    if (path === '') return errors(400, 'path not set')
    const found = findMount(ns.mounts, path)
    if (found === undefined || !state.allowsUnder(record, found.mount)) {
      // No 404 here, deliberately: Vault does not let a client enumerate mounts (contracts.md §2.3).
      const first = path.split('/')[0] ?? ''
      return errors(
        403,
        `preflight capability check returned 403, please ensure client's policies grant access to path "${first}/"`,
      )
    }
    return {
      status: 200,
      body: envelope({
        data: {
          accessor: `kv_${found.mount.replace(/\W/g, '')}`,
          config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0 },
          description: 'key/value secret storage',
          external_entropy_access: false,
          local: false,
          // The CLI's rule: "2" is v2; "1", missing or null are v1. Our v1 mounts say null.
          options: found.value.version === 2 ? { version: '2' } : null,
          path: `${req.pathPrefix}${found.mount}/`,
          seal_wrap: false,
          type: 'kv',
          uuid: '4bb40403-d9ba-d2ee-087a-4c6d371db5f2',
        },
      }),
    }
  }
  if (!state.allowed(record, req.path)) return errors(403, PERMISSION_DENIED)
  const found = findMount(ns.mounts, req.path)
  if (found === undefined)
    return errors(404, `no handler for route "${req.path}". route entry not found.`)
  return kvRead(found.value, found.rest, req)
}
