import type { FetchFailure } from '../../secrets/ref'

/** How messages name the file: by the path as configured, never by its content. */
export function describeFile(displayPath: string): string {
  return `secrets file ${displayPath} (AVP_FILE_PATH)`
}

/** A problem with the whole file: every lookup fails with it. */
export function fileFailure(displayPath: string, what: string): FetchFailure {
  return { code: 'CONFIG_INVALID', message: `${describeFile(displayPath)} ${what}` }
}

/** A file that could not be read, named with the errno code only. */
export function unreadableFailure(displayPath: string, err: unknown): FetchFailure {
  const code =
    typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
      ? err.code
      : 'unknown error'
  return fileFailure(displayPath, code === 'ENOENT' ? 'not found' : `unreadable (${code})`)
}

export function notFound(message: string): FetchFailure {
  return { code: 'SECRET_NOT_FOUND', message }
}
