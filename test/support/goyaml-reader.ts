import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { requireTool } from './tools'

/** What go-yaml v2 made of one YAML stream: every document decoded, or its error. */
export type GoYamlResult = { readonly docs: unknown[] } | { readonly error: string }

/**
 * One long-lived `goyaml-check` process (test/support/goyaml, built by
 * scripts/install-test-tools.sh): YAML streams go in one per line, answers
 * come back in order, so a property test can ask thousands of questions
 * without starting a process for each. A missing binary throws.
 */
export class GoYamlReader {
  readonly #child: ChildProcessWithoutNullStreams
  readonly #waiting: ((result: GoYamlResult) => void)[] = []

  constructor() {
    this.#child = spawn(requireTool('goyaml-check'), [], { stdio: 'pipe' })
    // Split on LF only: readline would also split on U+2028 and U+2029.
    let pending = ''
    this.#child.stdout.setEncoding('utf8')
    this.#child.stdout.on('data', (chunk: string) => {
      pending += chunk
      let end = pending.indexOf('\n')
      while (end >= 0) {
        this.#waiting.shift()?.(JSON.parse(pending.slice(0, end)) as GoYamlResult)
        pending = pending.slice(end + 1)
        end = pending.indexOf('\n')
      }
    })
  }

  read(text: string): Promise<GoYamlResult> {
    return new Promise((resolve) => {
      this.#waiting.push(resolve)
      this.#child.stdin.write(`${JSON.stringify(text)}\n`)
    })
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.#child.once('exit', resolve))
    this.#child.stdin.end()
    await exited
  }
}
