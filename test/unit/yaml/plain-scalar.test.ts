import { isAmbiguousAsPlain } from '../../../src/yaml/plain-scalar'

describe('isAmbiguousAsPlain', () => {
  test.each([
    'yes',
    'Yes',
    'YES',
    'no',
    'on',
    'Off',
    'y',
    'N',
    'true',
    'False',
    '~',
    'null',
    'NULL',
    '',
    '1',
    '-1',
    '+12',
    '012',
    '0x1F',
    '0o17',
    '0b101',
    '1_000',
    '0X1F',
    '1.0',
    '.5',
    '1e3',
    '81111e1',
    '-1.5e-3',
    '.inf',
    '-.Inf',
    '.nan',
    '1:20',
    '190:20:30.15',
    '2001-12-14',
    '2001-12-14T21:59:43.10-05:00',
    '<<',
  ])('%j must be quoted', (value) => {
    expect(isAmbiguousAsPlain(value)).toBe(true)
  })

  test.each([
    'name',
    'yes-please',
    'nginx:1.25',
    'on-call',
    'v1.2.3',
    'a1',
    'Yes!',
    'http://x',
    'NaNa',
  ])('%j reads back as itself', (value) => {
    expect(isAmbiguousAsPlain(value)).toBe(false)
  })
})
