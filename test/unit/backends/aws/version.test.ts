import { classifyVersion, describeVersion } from '../../../../src/backends/aws/version'

test.each([
  [undefined, { kind: 'latest' }],
  ['', { kind: 'latest' }],
  ['AWSCURRENT', { kind: 'latest' }],
  ['AWSPREVIOUS', { kind: 'stage', stage: 'AWSPREVIOUS' }],
  ['AWSPENDING', { kind: 'stage', stage: 'AWSPENDING' }],
  ['blue', { kind: 'stage', stage: 'blue' }],
  // AVP #199: AVP sent anything but AWSCURRENT/AWSPREVIOUS as a VersionId.
  ['release-2024', { kind: 'stage', stage: 'release-2024' }],
  ['1', { kind: 'stage', stage: '1' }],
  [
    'a1b2c3d4-1234-4abc-9def-0123456789ab',
    { kind: 'id', versionId: 'a1b2c3d4-1234-4abc-9def-0123456789ab' },
  ],
  [
    'A1B2C3D4-1234-4ABC-9DEF-0123456789AB',
    { kind: 'id', versionId: 'A1B2C3D4-1234-4ABC-9DEF-0123456789AB' },
  ],
  // Not quite a UUID: a label.
  [
    'a1b2c3d4-1234-4abc-9def-0123456789a',
    { kind: 'stage', stage: 'a1b2c3d4-1234-4abc-9def-0123456789a' },
  ],
])('classifyVersion(%p)', (version, expected) => {
  expect(classifyVersion(version)).toEqual(expected)
})

test('describeVersion names the kind of version', () => {
  expect(describeVersion({ kind: 'latest' })).toBeUndefined()
  expect(describeVersion({ kind: 'stage', stage: 'BLUE' })).toBe('stage BLUE')
  expect(describeVersion({ kind: 'id', versionId: 'x' })).toBe('version id x')
})
