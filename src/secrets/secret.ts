import { inspect } from 'node:util'

const REDACTED = '[redacted]'

/**
 * Holds a secret value so that it cannot reach a log, an error message or
 * `JSON.stringify` by accident: every implicit conversion prints `[redacted]`.
 * Only `reveal()` gives the value. It is called where a value is used and
 * nowhere else: the substitution step (placeholders/) and, for credentials, the
 * backend that hands them to its SDK or reports them (`RegisterSecret`)
 * (docs/design/engineering-rules.md).
 */
export class Secret<T> {
  readonly #value: T

  constructor(value: T) {
    this.#value = value
  }

  reveal(): T {
    return this.#value
  }

  toString(): string {
    return REDACTED
  }

  toJSON(): string {
    return REDACTED
  }

  [inspect.custom](): string {
    return REDACTED
  }
}
