import { NeedleIndex } from '../../../src/secrets/needle-index'

describe('NeedleIndex', () => {
  test('an empty needle is ignored, not matched at every position', () => {
    const index = new NeedleIndex()
    index.add('')
    index.add('canary')
    expect(index.ranges('x canary y')).toEqual([[2, 8]])
  })
})
