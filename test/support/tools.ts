import fs from 'node:fs'
import path from 'node:path'

/** Where scripts/install-test-tools.sh puts the pinned helm and kustomize. */
export const TOOLS_BIN = path.resolve(__dirname, '../../.tools/bin')

/**
 * PATH for tests: the pinned tools first, then the caller's PATH. A test that
 * needs a tool calls `requireTool` first, so a missing tool fails the test
 * with a hint instead of skipping it silently.
 */
export function toolsPath(base = process.env['PATH'] ?? '/usr/bin:/bin'): string {
  return [TOOLS_BIN, base].join(path.delimiter)
}

/** The absolute path of `name` on `toolsPath()`; throws when it is missing. */
export function requireTool(
  name: 'helm' | 'kustomize' | 'kubectl' | 'git' | 'goyaml-check' | 'sops' | 'age-keygen',
): string {
  for (const dir of toolsPath().split(path.delimiter)) {
    if (dir === '') continue
    const candidate = path.join(dir, name)
    try {
      fs.accessSync(candidate, fs.constants.X_OK)
      if (fs.statSync(candidate).isFile()) return candidate
    } catch {
      // try the next directory
    }
  }
  throw new Error(
    `${name} is required by this test but is not in ${TOOLS_BIN} or on PATH: run scripts/install-test-tools.sh`,
  )
}

/** The versions pinned in scripts/tool-versions.env (the Dockerfile must agree). */
export function pinnedToolVersions(): Record<string, string> {
  const file = path.resolve(__dirname, '../../scripts/tool-versions.env')
  const out: Record<string, string> = {}
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)=(\S+)\s*$/.exec(line)
    if (m?.[1] !== undefined && m[2] !== undefined) out[m[1]] = m[2]
  }
  return out
}
