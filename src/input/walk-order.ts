/**
 * Orders relative paths (`/`-separated) the way Go's `filepath.Walk` visits
 * them: depth-first, each directory's entries sorted by name as bytes. So
 * `a/b.yaml` comes before `a.yaml` (the directory `a` sorts before the name
 * `a.yaml`), and `secret.json` < `secret.yaml` < `secret_path.yaml`
 * (docs/design/avp-semantics.md). Comparing whole strings would get the first
 * case wrong, since `/` (0x2F) sorts after `.` (0x2E).
 */
export function compareWalkOrder(a: string, b: string): number {
  const sa = a.split('/')
  const sb = b.split('/')
  const n = Math.min(sa.length, sb.length)
  for (let i = 0; i < n; i++) {
    // Go compares names as UTF-8 bytes; JS `<` compares UTF-16 code units,
    // which disagree for characters beyond the BMP.
    const c = Buffer.compare(Buffer.from(sa[i] ?? ''), Buffer.from(sb[i] ?? ''))
    if (c !== 0) return c
  }
  return sa.length - sb.length
}
