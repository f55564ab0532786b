import type { ScopeSegments } from './types'

/**
 * A path split on `/` exactly as written: right for backends that take the
 * path as one opaque name (an AWS secret name or ARN, a key of the `file`
 * backend, GCP and 1Password resource names), where `/team-a/x` and
 * `team-a/x` are two different secrets. `.` and `..` segments are refused
 * all the same: no backend needs them, and one that resolved them would read
 * outside the prefix the path seems to be under.
 */
export function literalSegments(path: string): ScopeSegments {
  const segments = path.split('/')
  if (segments.some((s) => s === '.' || s === '..')) {
    return { failure: '"." and ".." segments are not allowed' }
  }
  return segments
}
