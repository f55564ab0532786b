import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const PRELOAD = path.resolve(__dirname, 'preload/watch-process.js')

/** What a watched CLI process loaded and reached. */
export interface Watched {
  /** Absolute paths of every module file in `require.cache` at exit. */
  readonly modules: readonly string[]
  /** Every host looked up or connected to. */
  readonly hosts: readonly string[]
}

/**
 * Environment additions that load `preload/watch-process.js` into the CLI,
 * and a reader for what it recorded once the process has exited.
 */
export function watchProcess(): { env: Record<string, string>; read(): Watched } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'asp-watch-')), 'watch.json')
  return {
    env: { NODE_OPTIONS: `--require ${PRELOAD}`, ASP_WATCH_FILE: file },
    read: () => JSON.parse(fs.readFileSync(file, 'utf8')) as Watched,
  }
}

/** Module paths of the cloud SDKs that Vault, AWS and file runs must never load from node_modules. */
export const NEW_SDK_MODULES =
  /[\\/](@google-cloud|@azure|@1password|google-gax|@grpc|google-auth-library)[\\/]/

/** Hosts that are loopback. */
export function isLoopback(host: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/.test(host)
}

/** The backend chunks (`dist/backends/<name>.cjs`, one per backend's SDKs) a process loaded. */
export function loadedChunks(watched: Watched): string[] {
  return watched.modules
    .map((m) => /[\\/]dist[\\/]backends[\\/]([^\\/]+)\.cjs$/.exec(m)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort()
}
