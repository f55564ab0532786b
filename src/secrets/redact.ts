/**
 * The last line of defence (style guide B.4.7): every secret value revealed
 * during a run and every credential loaded is registered here, and all text
 * written to stderr passes through `redact`. The code paths are built so that
 * nothing secret reaches stderr in the first place; this catches mistakes.
 */
export class Redactor {
  readonly #needles = new Set<string>()
  #pattern: RegExp | undefined

  /** Registers a value to mask. Values shorter than 4 characters are ignored, as masking them would garble ordinary text. */
  add(value: unknown): void {
    if (typeof value === 'string') {
      this.#addString(value)
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      // Numbers and booleans are too common in ordinary text to mask.
    } else if (Array.isArray(value)) {
      for (const item of value) this.add(item)
    } else if (value !== null && typeof value === 'object') {
      for (const item of Object.values(value)) this.add(item)
    }
  }

  #addString(value: string): void {
    const trimmed = value.trim()
    if (trimmed.length < 4 || this.#needles.has(trimmed)) return
    this.#needles.add(trimmed)
    // Multi-line secrets (certificates, keys) are also masked line by line,
    // since an error may quote just one line of them.
    if (trimmed.includes('\n')) {
      for (const line of trimmed.split(/\r?\n/)) this.#addString(line)
    }
    this.#pattern = undefined
  }

  redact(text: string): string {
    if (this.#needles.size === 0) return text
    this.#pattern ??= new RegExp(
      [...this.#needles]
        .sort((a, b) => b.length - a.length)
        .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('|'),
      'g',
    )
    return text.replace(this.#pattern, '***')
  }
}
