import { stderrTail } from '../../../src/render/stderr-tail'

describe('stderrTail', () => {
  test('last 20 non-blank lines on one line, colours and CRs removed', () => {
    const text =
      Array.from({ length: 25 }, (_, i) => `line ${String(i)}\r`).join('\n\n') +
      '\n\u001b[31mError: x\u001b[0m\n'
    const tail = stderrTail(text)
    expect(tail.split(' | ')).toEqual([
      ...Array.from({ length: 19 }, (_, i) => `line ${String(i + 6)}`),
      'Error: x',
    ])
  })

  test('long lines are cut; empty input is empty', () => {
    expect(stderrTail('x'.repeat(400))).toBe(`${'x'.repeat(300)}…`)
    expect(stderrTail('\n \n')).toBe('')
  })

  test('the rewrite applies before splitting', () => {
    expect(
      stderrTail('open /tmp/p/values-0.yaml: bad', (t) =>
        t.replace('/tmp/p/values-0.yaml', 'values.yaml (resolved)'),
      ),
    ).toBe('open values.yaml (resolved): bad')
  })
})
