import type { Lookup } from '../../../src/secrets/ref'
import { testdir } from '../testdir'
import type { FakeVault } from './index'
import { inProcessVault, show, type InProcessVault } from './in-process'

export const SECRET_ID = 'canary-secret-id-backend'
export const PASSWORD = 'canary-password-value'

/** The seed of the in-process backend tests: an AppRole, two versions of `secret/app`, a KV v1 secret. */
export function seedBasics(vault: FakeVault): void {
  vault.addApprole('role-1', SECRET_ID)
  vault.putKv('secret', 'app', {
    password: PASSWORD,
    port: 5432,
    tls: true,
    nested: { list: [1, 'two'] },
  })
  vault.putKv('secret', 'app', { password: `${PASSWORD}-v2`, port: 5433 })
  vault.putKv('kv', 'legacy', { user: 'canary-legacy-user' })
}

/** An AppRole-authenticated backend on `vault`, with its own token-cache directory and HOME. */
export function approleBackend(
  vault: FakeVault,
  extra: Record<string, string> = {},
): Promise<InProcessVault> {
  return inProcessVault(
    {
      VAULT_ADDR: vault.address,
      AVP_AUTH_TYPE: 'approle',
      AVP_ROLE_ID: 'role-1',
      AVP_SECRET_ID: SECRET_ID,
      AVP_TOKEN_CACHE_DIR: testdir(),
      ...extra,
    },
    { env: { HOME: testdir() } },
  )
}

/** Debug events and failure messages never hold a canary (a value or a credential). */
export function expectNoCanary(v: { events: unknown[] }, results: Lookup[]): void {
  const failures = results.map(show).filter((r) => typeof r === 'string')
  expect(JSON.stringify(v.events) + JSON.stringify(failures)).not.toMatch(/canary/)
}
