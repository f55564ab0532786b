import { createHash } from 'node:crypto'
import { typeName } from '../yaml-node'
import type { ModifierFactory } from './types'
import { fail, ok } from './types'

/**
 * Lowercase hex SHA-256 of the UTF-8 text. AVP also accepts a Vault number
 * here (its check is on the Go kind, and `json.Number` is a string kind), so a
 * number is hashed as its decimal text.
 */
export const sha256sum: ModifierFactory = (args) => {
  if (args.length > 0) return { ok: false, failure: 'takes no arguments' }
  return {
    ok: true,
    run: (value) => {
      if (typeof value === 'number' && Number.isFinite(value)) return ok(hash(String(value)))
      if (typeof value !== 'string') return fail(`expected a string, got a ${typeName(value)}`)
      return ok(hash(value))
    },
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}
