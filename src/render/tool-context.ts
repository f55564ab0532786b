import fs from 'node:fs/promises'
import type { DebugLog } from '../log'
import { createRunTempDir } from './temp-dir'
import { homeOverrides, toolEnv } from './tool-env'

/** What every tool run of one render shares. */
export interface ToolContext {
  /** The CLI's full environment: used to find tools on PATH, never passed on. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** The allow-listed environment the tools get (tool-env.ts). */
  readonly childEnv: Readonly<Record<string, string>>
  readonly signal: AbortSignal
  readonly deadlineAt: number
  readonly log: DebugLog
  /** A 0700 directory private to this run, removed afterwards. */
  readonly privateDir: string
}

/**
 * Runs `body` with a fresh private temp dir (values files, a fallback HOME)
 * and removes it afterwards, whatever happens: resolved values files hold
 * secrets and must not outlive the run.
 */
export async function withToolContext<T>(
  base: Omit<ToolContext, 'childEnv' | 'privateDir'>,
  body: (tool: ToolContext) => Promise<T>,
): Promise<T> {
  const privateDir = await createRunTempDir(base.env)
  try {
    const childEnv = toolEnv(base.env, await homeOverrides(base.env, privateDir))
    return await body({ ...base, childEnv, privateDir })
  } finally {
    await fs.rm(privateDir, { recursive: true, force: true })
  }
}
