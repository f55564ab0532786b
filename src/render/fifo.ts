import { RenderError } from '../errors'
import { findTool } from './find-tool'
import { runTool } from './spawn'
import type { ToolContext } from './tool-context'

/**
 * Creates 0600 FIFOs in the run's private dir. Node cannot make a real pipe a
 * child can open by path: its stdio pipes are socket pairs, and Linux refuses
 * to open `/dev/fd/N` of a socket (ENXIO). A FIFO is such a pipe, made by the
 * `mkfifo` of coreutils or busybox.
 */
export async function makeFifos(paths: readonly string[], tool: ToolContext): Promise<void> {
  if (paths.length === 0) return
  const mkfifo = await findTool('mkfifo', tool.env)
  if (mkfifo === undefined) {
    throw new RenderError(
      `mkfifo is not installed or not on PATH: it passes more than one Helm values source to helm without writing them to disk`,
    )
  }
  await runTool({
    file: mkfifo,
    args: ['-m', '600', '--', ...paths],
    label: 'mkfifo',
    cwd: tool.privateDir,
    env: tool.childEnv,
    signal: tool.signal,
    deadlineAt: tool.deadlineAt,
  })
}
