/** Configuration of the `file` backend: where the secrets file is. */
export interface FileConfig {
  /** `AVP_FILE_PATH` as configured; a relative path is resolved against the process cwd. */
  readonly path: string
}
