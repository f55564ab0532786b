import type { ReadPlan } from '../../../../src/backends/vault/kv-plan'
import { interpretRead } from '../../../../src/backends/vault/kv-response'

const v2Plan: ReadPlan = {
  written: ['secret', 'app'],
  requestPath: ['secret', 'data', 'app'],
  kv: '2',
  kvSource: 'detected',
  mount: { kind: 'known', mount: ['secret'], kvVersion: '2', engine: 'kv' },
}
const v1Plan: ReadPlan = {
  written: ['kv', 'app'],
  requestPath: ['kv', 'app'],
  kv: '1',
  kvSource: 'detected',
  mount: { kind: 'known', mount: ['kv'], kvVersion: '1', engine: 'kv' },
}
const metadata = (extra: object) => ({
  created_time: 't',
  custom_metadata: null,
  version: 3,
  ...extra,
})

test('KV v2: data.data, values keep their JSON types, and metadata.version is the version read', () => {
  const data = { s: 'x', n: 1, b: true, m: { a: [1] }, z: null }
  expect(
    interpretRead(
      { status: 200, body: { data: { data, metadata: metadata({}) } } },
      v2Plan,
      undefined,
      4,
    ),
  ).toEqual({ ok: true, data, version: '3' })
})

test('KV v1: data', () => {
  expect(
    interpretRead({ status: 200, body: { data: { user: 'u' } } }, v1Plan, undefined, 4),
  ).toEqual({
    ok: true,
    data: { user: 'u' },
  })
})

test.each([
  [
    'a soft-deleted version',
    {
      data: {
        data: null,
        metadata: metadata({ deletion_time: '2024-05-01T10:00:00Z', destroyed: false }),
      },
    },
    '3',
    'VERSION_DELETED: version 3 of secret/data/app was deleted at 2024-05-01T10:00:00Z',
  ],
  [
    'a destroyed version',
    { data: { data: null, metadata: metadata({ deletion_time: '', destroyed: true }) } },
    '3',
    'VERSION_DELETED: version 3 of secret/data/app was destroyed',
  ],
  [
    'a deleted latest version',
    {
      data: {
        data: null,
        metadata: metadata({ deletion_time: '2024-05-01T10:00:00Z', destroyed: false }),
      },
    },
    undefined,
    'VERSION_DELETED: the latest version (3) of secret/data/app was deleted at 2024-05-01T10:00:00Z',
  ],
  [
    'a version beyond the current one',
    { errors: [] },
    '9',
    'SECRET_NOT_FOUND: version 9 of secret/data/app does not exist',
  ],
  [
    'a missing secret',
    { errors: [] },
    undefined,
    'SECRET_NOT_FOUND: secret not found: secret/data/app',
  ],
])('404 for %s', (_what, body, version, expected) => {
  const result = interpretRead({ status: 404, body }, v2Plan, version, 4)
  expect(result.ok ? 'ok' : `${result.failure.code}: ${result.failure.message}`).toBe(expected)
})

test('a KV v2 mount read as v1 (annotation) → WRONG_ENGINE naming the engine (AVP #47)', () => {
  const plan: ReadPlan = {
    written: ['secret', 'app'],
    requestPath: ['secret', 'app'],
    kv: '1',
    kvSource: 'avp.kubernetes.io/kv-version',
  }
  const body = {
    data: null,
    warnings: ['Invalid path for a versioned K/V secrets engine. See the API docs…'],
  }
  expect(interpretRead({ status: 404, body }, plan, undefined, 4)).toEqual({
    ok: false,
    failure: {
      code: 'WRONG_ENGINE',
      message:
        'secret/app is on a KV v2 mount, which needs data/ after the mount; it was read as KV v1 because kv-version 1 comes from avp.kubernetes.io/kv-version',
    },
  })
})

test('a v2-style path on a KV v1 mount → WRONG_ENGINE with the path meant', () => {
  const plan: ReadPlan = {
    ...v1Plan,
    written: ['kv', 'data', 'app'],
    requestPath: ['kv', 'data', 'app'],
  }
  expect(interpretRead({ status: 404, body: { errors: [] } }, plan, undefined, 4)).toMatchObject({
    failure: {
      code: 'WRONG_ENGINE',
      message:
        'no secret at kv/data/app: mount kv/ is KV v1, which has no data/ segment (did you mean kv/app?)',
    },
  })
})

test('KV v2 forced on a v1 mount → WRONG_ENGINE', () => {
  const plan: ReadPlan = {
    ...v1Plan,
    requestPath: ['kv', 'data', 'app'],
    kv: '2',
    kvSource: 'AVP_KV_VERSION',
  }
  expect(interpretRead({ status: 404, body: { errors: [] } }, plan, undefined, 4)).toMatchObject({
    failure: {
      code: 'WRONG_ENGINE',
      message: 'no secret at kv/data/app: mount kv/ is KV v1, but AVP_KV_VERSION says KV v2',
    },
  })
  expect(
    interpretRead({ status: 200, body: { data: { user: 'u' } } }, plan, undefined, 4),
  ).toMatchObject({
    failure: { code: 'WRONG_ENGINE' },
  })
})

test('mount lookup refused: read as written, unwrap a KV v2 answer, explain a 403', () => {
  const plan: ReadPlan = {
    written: ['team', 'data', 'app'],
    requestPath: ['team', 'data', 'app'],
    kv: 'unknown',
    kvSource: 'none',
    mount: { kind: 'unknown', reason: 'denied' },
  }
  expect(
    interpretRead(
      { status: 200, body: { data: { data: { a: 1 }, metadata: metadata({}) } } },
      plan,
      undefined,
      4,
    ),
  ).toEqual({
    ok: true,
    data: { a: 1 },
    version: '3',
  })
  expect(
    interpretRead({ status: 403, body: { errors: ['permission denied'] } }, plan, undefined, 4),
  ).toEqual({
    ok: false,
    failure: {
      code: 'ACCESS_DENIED',
      message:
        'permission denied reading team/data/app; Vault also refused the mount lookup, so team/ may not be a mount, or the policy grants nothing under it',
    },
  })
})
