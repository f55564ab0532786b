import { encodedForms } from './encodings'
import { NeedleIndex } from './needle-index'

/** Values (and forms of values) shorter than this are not masked: they would garble ordinary text. */
const MIN_MASKED = 4

const MASK = '***'

/**
 * The write-only side of the run's redactor. The pipeline holds the
 * `Redactor`; config and backends get only this sink and report each
 * credential through it the moment they read it, before any call whose
 * failure could be printed (docs/architecture.md).
 */
export type RegisterSecret = (value: unknown) => void

/** Printed instead of a text that could not be masked: it may hold a secret. */
export const WITHHELD = '[output withheld: it could not be checked for secrets]'

/**
 * The last line of defence (docs/design/engineering-rules.md): every secret value revealed
 * during a run and every credential loaded is registered here, by the pipeline
 * only (config and backends report through a `RegisterSecret`), and all text
 * written to stderr passes through `redact`. The code paths are built so that
 * nothing secret reaches stderr in the first place; this catches mistakes.
 *
 * Each value is masked in every form a child process or library may print it
 * (raw, Go-quoted, JSON, percent-encoded, base64 …, see encodings.ts), and
 * each line of a multi-line value on its own. Masking takes time linear in the
 * text whatever the number and size of the secrets (needle-index.ts), and
 * never throws: a text that cannot be masked is withheld.
 */
export class Redactor {
  readonly #values = new Set<string>()
  readonly #index = new NeedleIndex()

  /** Registers a value to mask: strings, and the strings inside lists and maps. */
  add(value: unknown): void {
    if (typeof value === 'string') {
      this.#addString(value)
    } else if (Array.isArray(value)) {
      for (const item of value) this.add(item)
    } else if (value !== null && typeof value === 'object') {
      for (const item of Object.values(value)) this.add(item)
    }
    // Numbers and booleans are too common in ordinary text to mask.
  }

  #addString(value: string): void {
    const trimmed = value.trim()
    if (trimmed.length < MIN_MASKED || this.#values.has(trimmed)) return
    this.#values.add(trimmed)
    for (const form of encodedForms(trimmed)) {
      if (form.length >= MIN_MASKED) this.#index.add(form)
    }
    // Multi-line secrets (certificates, keys) are also masked line by line,
    // since an error may quote just one line of them (each is trimmed of its `\r`).
    if (trimmed.includes('\n')) {
      for (const line of trimmed.split('\n')) this.#addString(line)
    }
  }

  /** `text` with every registered value, in every form, replaced by `***`. */
  redact(text: string): string {
    try {
      let out = ''
      let last = 0
      for (const [start, end] of this.#index.ranges(text)) {
        out += text.slice(last, start) + MASK
        last = end
      }
      return out + text.slice(last)
    } catch {
      return WITHHELD
    }
  }
}
