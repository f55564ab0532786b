import fs from 'node:fs/promises'
import path from 'node:path'

/** The file backend's only contact with the outside: reading the secrets file. */
export interface FilePort {
  /** The file's text; rejects with the file system's error (its `code` is all that is kept). */
  readText(configuredPath: string): Promise<string>
}

export function createFsPort(): FilePort {
  return {
    // The CLI passes no cwd: a relative AVP_FILE_PATH means relative to where
    // the plugin runs, as a shell user expects.
    readText: (configured) => fs.readFile(path.resolve(configured), 'utf8'),
  }
}
