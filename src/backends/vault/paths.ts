/**
 * Vault logical paths as lists of segments. Segments are kept unencoded
 * until the port builds the URL, so a secret called `a b#c?d` is one segment
 * and reaches Vault as `a%20b%23c%3Fd` (the port encodes every segment,
 * docs/design/vault-wire.md).
 */
export type VaultPath = readonly string[]

/** Splits a secret path as written in a placeholder, or explains why it cannot be read. */
export function splitSecretPath(path: string): VaultPath | string {
  const trimmed = path.replace(/^\/+|\/+$/g, '')
  if (trimmed === '') return `invalid Vault path ${JSON.stringify(path)}: it is empty`
  const segments = trimmed.split('/')
  if (segments.some((s) => s === '')) {
    return `invalid Vault path ${JSON.stringify(path)}: it has an empty segment (//)`
  }
  // URL parsers resolve `.` and `..` (even as %2E%2E), which would read a
  // different path than the one written, possibly outside the mount.
  if (segments.some((s) => s === '.' || s === '..')) {
    return `invalid Vault path ${JSON.stringify(path)}: "." and ".." segments are not allowed`
  }
  return segments
}

/** Joins segments for messages and logs: `secret/data/app`. */
export function showPath(path: VaultPath): string {
  return path.join('/')
}

/** Percent-encodes every segment (`encodeURIComponent` plus the characters it leaves that mustache or URLs treat specially). */
export function encodePath(path: VaultPath): string {
  return path
    .map((s) =>
      encodeURIComponent(s).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/')
}

/** True when `mount` is a whole-segment prefix of `path`. */
export function isUnder(path: VaultPath, mount: VaultPath): boolean {
  return mount.length <= path.length && mount.every((s, i) => path[i] === s)
}

/**
 * The KV v2 data path of a secret: `data/` goes right after the mount, as
 * the Vault CLI's `addPrefixToKVPath` does (docs/design/vault-wire.md). A path that
 * already has it (AVP writes `secret/data/app`) is kept, so it is never doubled.
 */
export function kvV2DataPath(path: VaultPath, mountLength: number): VaultPath {
  if (path[mountLength] === 'data') return path
  return [...path.slice(0, mountLength), 'data', ...path.slice(mountLength)]
}

/** The path a KV v1 user probably meant when they wrote a KV v2 style `mount/data/…` path. */
export function withoutData(path: VaultPath, mountLength: number): VaultPath {
  return path[mountLength] === 'data'
    ? [...path.slice(0, mountLength), ...path.slice(mountLength + 1)]
    : path
}
