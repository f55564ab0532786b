import fs from 'node:fs/promises'
import path from 'node:path'
import type { RegisterSecret } from '../../../secrets/redact'
import type { FetchFailure } from '../../../secrets/ref'
import type { VaultAuthConfig } from '../config'
import { fsCode } from '../fs-code'

export type TokenResult =
  | {
      readonly ok: true
      readonly token: string
      /** `static`: VAULT_TOKEN or ~/.vault-token; `cache`: the token cache; `login`: logged in this run. */
      readonly source: 'static' | 'cache' | 'login'
    }
  | { readonly ok: false; readonly failure: FetchFailure }

/**
 * `AVP_AUTH_TYPE=token`: `VAULT_TOKEN`, else `~/.vault-token` as the Vault
 * CLI's token helper writes it (read now, when a secret is needed, and
 * trimmed). The token is not cached: it already is a token.
 */
export async function staticToken(
  auth: Extract<VaultAuthConfig, { method: 'token' }>,
  env: Readonly<Record<string, string | undefined>>,
  registerSecret: RegisterSecret,
): Promise<TokenResult> {
  if (auth.token !== undefined) return { ok: true, token: auth.token.reveal(), source: 'static' }
  const home = env['HOME']
  if (home === undefined || home === '') {
    return { ok: false, failure: noToken('HOME is not set, so there is no ~/.vault-token') }
  }
  let token: string
  try {
    token = (await fs.readFile(path.join(home, '.vault-token'), 'utf8')).trim()
  } catch (err) {
    return { ok: false, failure: noToken(`~/.vault-token: ${fsCode(err)}`) }
  }
  if (token === '') return { ok: false, failure: noToken('~/.vault-token is empty') }
  registerSecret(token)
  return { ok: true, token, source: 'static' }
}

function noToken(why: string): FetchFailure {
  return {
    code: 'AUTH_FAILED',
    message: `no Vault token for AVP_AUTH_TYPE=token: VAULT_TOKEN is not set (${why})`,
  }
}
