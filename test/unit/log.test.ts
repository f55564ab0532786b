import { formatDebugEvent, type DebugEvent } from '../../src/log'

describe('formatDebugEvent', () => {
  test('writes the kind and every field, JSON-quoted, on one line', () => {
    expect(
      formatDebugEvent({
        kind: 'fetch',
        path: 'secret/data/a',
        version: '2',
        ms: 5,
        outcome: 'ok',
      }),
    ).toBe('debug: fetch path="secret/data/a" version="2" ms=5 outcome="ok"')
    expect(formatDebugEvent({ kind: 'note', message: 'x' })).toBe('debug: note message="x"')
  })

  test('an event without fields is just its kind', () => {
    expect(formatDebugEvent({ kind: 'input' } as unknown as DebugEvent)).toBe('debug: input')
  })

  test.each(['\n', '\r', '\u0085', '\u2028', '\u2029', '\u001b', '\u007f'])(
    'a %j in a field cannot start a line of its own',
    (ch) => {
      const line = formatDebugEvent({ kind: 'skip-document', source: `a${ch}b.yaml`, reason: ch })
      expect(line.startsWith('debug: skip-document source="a')).toBe(true)
      expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/)
    },
  )
})
