import { inspect } from 'node:util'

const REDACTED = '[redacted]'

/**
 * Holds a secret value so that it cannot reach a log, an error message or
 * `JSON.stringify` by accident: every implicit conversion prints `[redacted]`.
 * Only `reveal()` gives the value, and only the substitution step calls it
 * (style guide B.4.1).
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
