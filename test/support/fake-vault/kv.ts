import { envelope, errors, type FakeRequest, type FakeResponse } from './http-types'
import type { KvMount, KvV2Version } from './state'

const INVALID_V2_PATH =
  "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation."

/** A KV read on `mount` of `rest` (the path below the mount), as Vault answers it (docs/design/vault-wire.md). */
export function kvRead(mount: KvMount, rest: string, req: FakeRequest): FakeResponse {
  if (req.method !== 'GET') return errors(405, 'unsupported operation')
  if (mount.version === 1) {
    const data = mount.v1.get(rest)
    return data === undefined
      ? errors(404)
      : { status: 200, body: envelope({ data, lease_duration: 2764800 }) }
  }
  if (rest.startsWith('metadata/')) return kvMetadata(mount, rest.slice('metadata/'.length))
  if (!rest.startsWith('data/')) {
    return { status: 404, body: envelope({ warnings: [INVALID_V2_PATH] }) }
  }
  const secret = mount.v2.get(rest.slice('data/'.length))
  if (secret === undefined) return errors(404)
  const asked = req.query.get('version')
  const n = asked === null || asked === '0' ? secret.current : Number(asked)
  if (!Number.isInteger(n) || n < 0) return errors(400, `invalid version ${JSON.stringify(asked)}`)
  const version = secret.versions.get(n)
  // Beyond the current version, or pruned by max_versions: a bare 404.
  if (version === undefined || n < secret.current - mount.maxVersions + 1) return errors(404)
  const metadata = metadataOf(version, n)
  if (
    version.destroyed ||
    (version.deletionTime !== '' && Date.parse(version.deletionTime) <= Date.now())
  ) {
    // Deleted and destroyed versions: a 404 without `errors`, data null, metadata present.
    return { status: 404, body: envelope({ data: { data: null, metadata } }) }
  }
  return { status: 200, body: envelope({ data: { data: version.data, metadata } }) }
}

/** `GET <mount>/metadata/<path>`: versions and their state, never data (docs/design/vault-wire.md). */
function kvMetadata(mount: KvMount, path: string): FakeResponse {
  const secret = mount.v2.get(path)
  if (secret === undefined) return errors(404)
  const versions = Object.fromEntries(
    [...secret.versions].map(([n, v]) => [
      String(n),
      { created_time: v.createdTime, deletion_time: v.deletionTime, destroyed: v.destroyed },
    ]),
  )
  const body = {
    data: {
      current_version: secret.current,
      oldest_version: Math.max(1, secret.current - mount.maxVersions + 1),
      max_versions: 0,
      cas_required: false,
      custom_metadata: null,
      versions,
    },
  }
  return { status: 200, body: envelope(body) }
}

function metadataOf(version: KvV2Version, n: number): Record<string, unknown> {
  return {
    created_time: version.createdTime,
    custom_metadata: null,
    deletion_time: version.deletionTime,
    destroyed: version.destroyed,
    version: n,
  }
}

/** Stores a secret; returns its version (KV v2) or 1 (KV v1). */
export function kvPut(
  mount: KvMount,
  path: string,
  data: Readonly<Record<string, unknown>>,
): number {
  if (mount.version === 1) {
    mount.v1.set(path, data)
    return 1
  }
  const secret = mount.v2.get(path) ?? { versions: new Map<number, KvV2Version>(), current: 0 }
  secret.current += 1
  secret.versions.set(secret.current, {
    data,
    createdTime: new Date().toISOString(),
    deletionTime: '',
    destroyed: false,
  })
  mount.v2.set(path, secret)
  return secret.current
}

/** Soft-deletes (`deletionTime` now) or destroys one version of a KV v2 secret. */
export function kvRemoveVersion(mount: KvMount, path: string, n: number, destroy: boolean): void {
  const version = mount.v2.get(path)?.versions.get(n)
  if (version === undefined) throw new Error(`fake vault: no version ${String(n)} of ${path}`)
  if (destroy) version.destroyed = true
  else version.deletionTime = new Date(Date.now() - 1000).toISOString()
}

/** `DELETE <mount>/metadata/<path>`: the secret and every version are gone. */
export function kvDeleteSecret(mount: KvMount, path: string): void {
  if (!mount.v2.delete(path)) throw new Error(`fake vault: no secret ${path}`)
}
