const TAIL_LINES = 20
const MAX_LINE_CHARS = 300
// ANSI escape sequences and other control characters (colour output, progress bars).
const CONTROL = /\u001b\[[0-9;?]*[A-Za-z]|[\u0000-\u0008\u000b-\u001f\u007f]/g

/**
 * The last lines of a tool's stderr as ONE line: Argo CD shows stderr verbatim
 * in its UI and conditions (docs/design/argocd-cmp-contract.md), and every problem of ours is one
 * line. Blank lines are dropped and lines are joined with ` | `. The CLI's
 * redactor still masks any secret value on the way out.
 */
export function stderrTail(text: string, rewrite?: (text: string) => string): string {
  const rewritten = rewrite === undefined ? text : rewrite(text)
  return rewritten
    .replace(CONTROL, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(-TAIL_LINES)
    .map((line) => (line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line))
    .join(' | ')
}
