/** The code of a failed `fs` call (`ENOENT`, `EACCES`…), never its message (which may quote paths or content). */
export function fsCode(err: unknown): string {
  const code =
    typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : 'unreadable'
}
