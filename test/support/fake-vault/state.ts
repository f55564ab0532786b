import { randomBytes } from 'node:crypto'

/** One stored version of a KV v2 secret. */
export interface KvV2Version {
  readonly data: Readonly<Record<string, unknown>>
  readonly createdTime: string
  deletionTime: string
  destroyed: boolean
}

export interface KvMount {
  readonly version: 1 | 2
  readonly v1: Map<string, Readonly<Record<string, unknown>>>
  readonly v2: Map<string, { versions: Map<number, KvV2Version>; current: number }>
  /** KV v2 `max_versions`: older versions are pruned (their reads 404 with `{"errors":[]}`). */
  maxVersions: number
}

export type AuthType = 'approle' | 'kubernetes' | 'userpass' | 'github' | 'cert'

/** A login that succeeds: `key` is the role id / role / user / GitHub token / cert name; `secret` the matching credential. */
export interface AuthEntry {
  readonly secret: string
  readonly policies: readonly string[]
  readonly ttl: number
}

export interface AuthMount {
  readonly type: AuthType
  readonly entries: Map<string, AuthEntry>
}

export interface Namespace {
  /** `''` for the root namespace, else `team-a` or `team-a/child`, no slashes at the ends. */
  readonly path: string
  readonly mounts: Map<string, KvMount>
  readonly auth: Map<string, AuthMount>
  /** Mounts of engines other than KV (`transit`, `pki`…), path → type: only the mount lookup knows them. */
  readonly engines: Map<string, string>
}

export interface TokenRecord {
  readonly namespace: string
  readonly policies: readonly string[]
  readonly ttl: number
  readonly expiresAt: number | null
  readonly root: boolean
}

/** A Vault-like ACL: globs with a trailing `*` (prefix) and `+` (one segment); deny wins. */
export interface Policy {
  readonly allow: readonly string[]
  readonly deny: readonly string[]
}

/**
 * Which server the fake imitates where the two differ: `vault` answers a bad
 * token with 403 `permission denied` plus `invalid token` and reports a child
 * namespace's mount relative to the request's namespace; `openbao` (2.x)
 * answers a bad token with a plain 403 `permission denied` and reports the
 * mount's full namespace path (`team-a/child/secret/`).
 */
export type Dialect = 'vault' | 'openbao'

/** Everything the fake Vault knows. Tests seed it through `FakeVault` (index.ts). */
export class FakeVaultState {
  dialect: Dialect = 'vault'
  readonly namespaces = new Map<string, Namespace>()
  readonly tokens = new Map<string, TokenRecord>()
  readonly policies = new Map<string, Policy>([['reader', { allow: ['*'], deny: [] }]])

  constructor() {
    this.namespace('')
  }

  namespace(path: string): Namespace {
    const key = trimSlashes(path)
    let ns = this.namespaces.get(key)
    if (ns === undefined) {
      ns = { path: key, mounts: new Map(), auth: new Map(), engines: new Map() }
      this.namespaces.set(key, ns)
    }
    return ns
  }

  /**
   * Leading segments of `segments` that name child namespaces of `start`
   * (Vault lets a path prefix select a namespace): the namespace reached and
   * how many segments it took. The last segment is never taken.
   */
  descend(start: string, segments: readonly string[]): { namespace: string; taken: number } {
    let namespace = start
    let taken = 0
    while (taken < segments.length - 1) {
      const candidate = [namespace, segments[taken]].filter((s) => s !== '').join('/')
      if (!this.namespaces.has(candidate)) break
      namespace = candidate
      taken += 1
    }
    return { namespace, taken }
  }

  /** Issues a token; its text contains `canary` so that a leak in any output is caught by tests. */
  issueToken(namespace: string, policies: readonly string[], ttl: number): string {
    const token = `hvs.canary-token-${randomBytes(9).toString('hex')}`
    this.tokens.set(token, {
      namespace,
      policies,
      ttl,
      expiresAt: ttl > 0 ? Date.now() + ttl * 1000 : null,
      root: false,
    })
    return token
  }

  /** The token if it exists, has not expired and is usable in `namespace` (its own or a child). */
  validToken(token: string | undefined, namespace: string): TokenRecord | undefined {
    if (token === undefined) return undefined
    const record = this.tokens.get(token)
    if (record === undefined) return undefined
    if (record.expiresAt !== null && record.expiresAt <= Date.now()) return undefined
    const inside =
      record.namespace === '' ||
      namespace === record.namespace ||
      namespace.startsWith(`${record.namespace}/`)
    return inside ? record : undefined
  }

  /** Vault's ACL check on a path relative to the request's namespace. */
  allowed(record: TokenRecord, path: string): boolean {
    if (record.root) return true
    const rules = record.policies.map((p) => this.policies.get(p)).filter((p) => p !== undefined)
    if (rules.some((r) => r.deny.some((g) => globMatch(g, path)))) return false
    return rules.some((r) => r.allow.some((g) => globMatch(g, path)))
  }

  /** True when some allow rule could match a path inside `mount` (the mount lookup's "any capability" rule, docs/design/vault-wire.md). */
  allowsUnder(record: TokenRecord, mount: string): boolean {
    if (record.root) return true
    const rules = record.policies.map((p) => this.policies.get(p)).filter((p) => p !== undefined)
    return rules.some((r) =>
      r.allow.some((g) => {
        const prefix = g.replace(/[*+].*$/, '')
        return prefix.startsWith(`${mount}/`) || `${mount}/`.startsWith(prefix)
      }),
    )
  }
}

export function trimSlashes(text: string): string {
  return text.replace(/^\/+|\/+$/g, '')
}

/** Vault policy globs: `*` at the end matches any suffix, `+` matches one path segment. */
export function globMatch(glob: string, path: string): boolean {
  const pattern = glob
    .split('')
    .map((c, i) => {
      if (c === '*' && i === glob.length - 1) return '.*'
      if (c === '+') return '[^/]+'
      return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    })
    .join('')
  return new RegExp(`^${pattern}$`).test(path)
}

/** The mount of `path` in `mounts`: the longest mount path that is a whole-segment prefix. */
export function findMount<T>(
  mounts: ReadonlyMap<string, T>,
  path: string,
): { mount: string; rest: string; value: T } | undefined {
  let best: { mount: string; rest: string; value: T } | undefined
  for (const [mount, value] of mounts) {
    if (path === mount || path.startsWith(`${mount}/`)) {
      if (best === undefined || mount.length > best.mount.length) {
        best = { mount, rest: path.slice(mount.length + 1), value }
      }
    }
  }
  return best
}
