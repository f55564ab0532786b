import { compareWalkOrder } from '../../../src/input/walk-order'

describe('compareWalkOrder', () => {
  test('sorts like Go filepath.Walk: depth-first, entries by byte order', () => {
    const paths = [
      'secret_path.yaml',
      'secret.yaml',
      'a.yaml',
      'secret_path-multi.yaml',
      'a/b.yaml',
      'secret.json',
      'B.yaml',
      'a/a/z.yaml',
      '.hidden/x.yaml',
      'é.yaml',
      'z.yaml',
    ]
    expect([...paths].sort(compareWalkOrder)).toEqual([
      '.hidden/x.yaml',
      'B.yaml',
      'a/a/z.yaml',
      'a/b.yaml',
      'a.yaml',
      'secret.json',
      'secret.yaml',
      'secret_path-multi.yaml',
      'secret_path.yaml',
      'z.yaml',
      'é.yaml',
    ])
  })

  test('compares UTF-8 bytes, not UTF-16 code units', () => {
    // U+FF5E is one UTF-16 unit above the surrogates, but its UTF-8 bytes sort below U+1F600's.
    expect(compareWalkOrder('\u{FF5E}.yaml', '\u{1F600}.yaml')).toBeLessThan(0)
    expect(compareWalkOrder('same', 'same')).toBe(0)
  })
})
