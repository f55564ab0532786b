import { inspect } from 'node:util'
import { Secret } from '../../../src/secrets/secret'
import { Redactor } from '../../../src/secrets/redact'

const CANARY = 'canary-4b1d-secret-value'

describe('Secret', () => {
  const secret = new Secret({ password: CANARY })

  test.each([
    ['String()', () => String(secret)],
    ['template literal', () => `value: ${secret.toString()}`],
    ['JSON.stringify', () => JSON.stringify({ wrapped: secret })],
    ['util.inspect', () => inspect(secret)],
    ['console-style format', () => inspect({ nested: [secret] }, { depth: 5 })],
  ])('%s never shows the value', (_name, show) => {
    const text = show()
    expect(text).toContain('[redacted]')
    expect(text).not.toContain(CANARY)
  })

  test('reveal gives the value back', () => {
    expect(secret.reveal().password).toBe(CANARY)
  })
})

describe('Redactor', () => {
  test('masks registered strings, nested values and each line of multi-line secrets', () => {
    const redactor = new Redactor()
    redactor.add({ a: CANARY, b: ['canary-list-item'], pem: 'line-one-abc\nline-two-def' })
    const text = `x ${CANARY} y canary-list-item z line-two-def`
    expect(redactor.redact(text)).toBe('x *** y *** z ***')
  })

  test('ignores values too short or too common to mask', () => {
    const redactor = new Redactor()
    redactor.add('abc')
    redactor.add(8080)
    redactor.add(true)
    expect(redactor.redact('abc 8080 true')).toBe('abc 8080 true')
  })

  test('masks the longest match first and escapes regex syntax', () => {
    const redactor = new Redactor()
    redactor.add('a.b*c')
    redactor.add('a.b*c+longer')
    expect(redactor.redact('[a.b*c+longer] [a.b*c] [aXb*c]')).toBe('[***] [***] [aXb*c]')
  })
})
