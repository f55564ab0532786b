/**
 * An fs error as words, from its `code` only: the message of a caught error is
 * never printed (docs/design/engineering-rules.md).
 */
export function describeFsError(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
  switch (code) {
    case 'ENOENT':
      return 'file not found'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EISDIR':
      return 'is a directory'
    default:
      return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : 'read failed'
  }
}
