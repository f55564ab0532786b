import type { CurrentVersion } from '../../backends/types'
import type { AppView } from './applications'
import type { Recorded } from './live-versions'

export type Decision =
  /** Nothing the app uses moved (or nothing could be compared). */
  | { readonly kind: 'current' }
  /** A secret moved: ask Argo CD for a hard refresh and remember why (`marker`). */
  | { readonly kind: 'refresh'; readonly reasons: readonly string[]; readonly marker: string }
  /** The same moves were already refreshed for; the app waits for a sync. */
  | { readonly kind: 'pending'; readonly reasons: readonly string[] }

/** The marker's value for a secret that no longer exists. */
const GONE = 'deleted'

/**
 * Compares what an app's live objects recorded with each secret's current
 * version. A secret that is gone counts as moved: the hard refresh makes Argo
 * CD run the plugin, whose failure then shows on the app. The marker (the
 * moved paths and where they moved to) is written on the Application with the
 * refresh, so an app that is not synced afterwards is not hard-refreshed
 * again on every run for the same move (docs/rotation.md).
 */
export function decide(
  app: AppView,
  recorded: Recorded,
  current: ReadonlyMap<string, CurrentVersion>,
): Decision {
  const reasons: string[] = []
  const moved: [string, string][] = []
  for (const [path, versions] of [...recorded].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const now = current.get(path)
    if (now?.kind === 'gone') {
      reasons.push(`${now.why} (recorded version ${[...versions].sort().join(', ')})`)
      moved.push([path, GONE])
    } else if (now?.kind === 'current' && (versions.size > 1 || !versions.has(now.version))) {
      const was = [...versions].filter((v) => v !== now.version).sort()
      reasons.push(`${path} moved from version ${was.join(', ')} to ${now.version}`)
      moved.push([path, now.version])
    }
  }
  if (moved.length === 0) return { kind: 'current' }
  const marker = JSON.stringify(Object.fromEntries(moved))
  if (app.refreshedFor === marker) return { kind: 'pending', reasons }
  return { kind: 'refresh', reasons, marker }
}
