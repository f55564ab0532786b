import { run, withPath } from './helpers'

// A JSON `\ud800` escape in a backend's answer gives a string with an unpaired
// surrogate: no UTF-8 (and so no YAML) can carry it, and writing it would
// silently turn it into U+FFFD. It must be refused, naming the field only.
const LONE = 'canary-\ud800-value'

test.each([
  ['a plain field', 'f: <pw>', 'Thing'],
  ['text around the value', 'f: x-<pw>-y', 'Thing'],
  ['a map value', 'f: <map>', 'Thing'],
  ['a map key', 'f: <keyed>', 'Thing'],
  ['a base64 Secret field', `data:\n  f: ${Buffer.from('<pw>').toString('base64')}`, 'Secret'],
])('a value with an unpaired surrogate is refused in %s', (_name, body, kind) => {
  const { problems, out } = run(withPath(body, 'secret/data/c', kind), {
    'secret/data/c': { pw: LONE, map: { k: [LONE] }, keyed: { [LONE]: 'v' } },
  })
  expect(problems).toHaveLength(1)
  expect(problems[0]?.code).toBe('TYPE_MISMATCH')
  expect(problems[0]?.message).toMatch(/unpaired UTF-16 surrogate, which YAML cannot carry/)
  expect(problems[0]?.message).not.toContain('canary')
  expect(out).not.toContain('canary')
})

test('a paired surrogate (an emoji) is written as it is', () => {
  const { problems, out } = run(withPath('f: <pw>'), { 'secret/data/app': { pw: 'ok \u{1f600}' } })
  expect(problems).toEqual([])
  expect(out).toContain('f: ok \u{1f600}')
})
