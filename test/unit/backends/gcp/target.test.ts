import { planTargets } from '../../../../src/backends/gcp/target'

test('refs that name the same (secret, version) share one read; no version means latest', () => {
  const plan = planTargets([
    { path: 'projects/p/secrets/db' },
    { path: 'projects/p/secrets/db', version: 'latest' },
    { path: 'projects/p/secrets/db', kvVersion: '2' },
    { path: 'projects/p/secrets/db', version: '3' },
    { path: 'projects/123/secrets/api_key-2', version: 'prod' },
  ])
  expect(plan.rejected).toEqual([])
  expect(plan.targets.map((t) => [t.name, t.project, t.secretId, t.label, t.refs.length])).toEqual([
    ['projects/p/secrets/db/versions/latest', 'p', 'db', 'secret projects/p/secrets/db', 3],
    ['projects/p/secrets/db/versions/3', 'p', 'db', 'secret projects/p/secrets/db (version 3)', 1],
    [
      'projects/123/secrets/api_key-2/versions/prod',
      '123',
      'api_key-2',
      'secret projects/123/secrets/api_key-2 (version prod)',
      1,
    ],
  ])
})

test('a regional secret keeps its location, for its endpoint', () => {
  const plan = planTargets([{ path: 'projects/p/locations/us-central1/secrets/db' }])
  expect(plan.targets.map((t) => [t.name, t.project, t.location, t.secretId])).toEqual([
    ['projects/p/locations/us-central1/secrets/db/versions/latest', 'p', 'us-central1', 'db'],
  ])
  expect(planTargets([{ path: 'projects/p/secrets/db' }]).targets[0]?.location).toBe(undefined)
})

test.each([
  ['projects/p/locations/US/secrets/db', 'is not in the form'],
  ['projects/p/locations/a.b/secrets/db', 'is not in the form'],
  ['secrets/db', 'is not in the form'],
  ['projects/p/secrets/db/versions/2', 'give the version after the key instead'],
  ['x/projects/p/secrets/db', 'is not in the form'],
  ['projects/p/secrets/a b', 'is not in the form'],
])('path %s is rejected without a call', (path, message) => {
  const plan = planTargets([{ path }])
  expect(plan.targets).toEqual([])
  expect(plan.rejected[0]?.failure.code).toBe('CONFIG_INVALID')
  expect(plan.rejected[0]?.failure.message).toContain(message)
})

test('a version that is not latest, a number or an alias is rejected', () => {
  const plan = planTargets([{ path: 'projects/p/secrets/db', version: '../1' }])
  expect(plan.rejected[0]?.failure.message).toBe(
    'version "../1" of projects/p/secrets/db is not "latest", a version number or an alias',
  )
})
