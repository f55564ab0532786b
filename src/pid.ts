/**
 * Whether a process with this pid exists. EPERM means it exists but belongs
 * to another user: it still counts as running, since it is not ours to judge.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined
    return code !== 'ESRCH'
  }
}
