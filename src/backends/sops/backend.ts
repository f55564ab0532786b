import type { FetchFailure, Lookup, SecretRef } from '../../secrets/ref'
import { Secret } from '../../secrets/secret'
import { stoppedMessage } from '../deadline'
import { fetchDistinct, type Placement } from '../distinct'
import type { Backend, BackendDeps } from '../types'
import type { SopsConfig } from './config'
import { sopsFailure } from './errors'
import { resolveSopsFile } from './file-path'
import { sopsEnv } from './child-env'
import type { SopsPort } from './port'

/** One distinct file to decrypt (versions are ignored, as in AVP). */
interface Target {
  readonly real: string
  readonly inputType: 'yaml' | 'json'
  /** The path as the first ref wrote it, for messages. */
  readonly shown: string
}

/**
 * The `sops` backend: every ref's path is confined to the repository, then
 * each distinct file (by real path) is decrypted once by `sops decrypt`, at
 * most `config.concurrency` at once, stopped by the run's signal. The top-level
 * map of the cleartext is the secret; a missing key is left to the
 * placeholder engine (KEY_NOT_FOUND), as AVP returns nil for it.
 */
export function createSopsBackend(config: SopsConfig, deps: BackendDeps, port: SopsPort): Backend {
  const keyEnv = new Map([...config.keyEnv].map(([k, v]) => [k, v.reveal()]))
  // SOPS_AGE_KEY is a private key; the file paths are not secret but cost nothing to mask.
  for (const value of keyEnv.values()) deps.registerSecret(value)
  const env = sopsEnv(deps.env, keyEnv)
  return {
    type: 'sops',
    fetchMany(refs, ctx) {
      const place = async (ref: SecretRef): Promise<Placement<Target>> => {
        const file = await resolveSopsFile(ref.path, deps.cwd, deps.env)
        if (!file.ok) return { failure: file.failure }
        return {
          key: file.real,
          target: { real: file.real, inputType: file.inputType, shown: ref.path },
        }
      }
      const read = (target: Target) => decrypt(port, env, ctx.signal, target)
      return fetchDistinct(refs, place, read, config.concurrency)
    },
  }
}

async function decrypt(
  port: SopsPort,
  env: Readonly<Record<string, string>>,
  signal: AbortSignal,
  target: Target,
): Promise<Lookup> {
  const outcome = await port({ file: target.real, inputType: target.inputType, env, signal })
  switch (outcome.kind) {
    case 'stopped':
      return fail({
        code: 'TIMEOUT',
        message: stoppedMessage(signal, `decrypting sops file ${target.shown}`),
      })
    case 'failed':
    case 'spawn-error':
    case 'missing':
      return fail(sopsFailure(outcome, target.shown, target.inputType))
    case 'ok':
      return cleartextLookup(outcome.stdout, target.shown)
  }
}

/** sops's JSON output; the parser's message is never shown (it would quote the cleartext). */
function cleartextLookup(stdout: string, shown: string): Lookup {
  let parsed: unknown
  try {
    parsed = JSON.parse(stdout)
  } catch {
    return fail({ code: 'BACKEND_ERROR', message: `sops gave no JSON for sops file ${shown}` })
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail({
      code: 'BACKEND_ERROR',
      message: `sops file ${shown} does not hold a map at the top level`,
    })
  }
  return { ok: true, data: new Secret(parsed as Record<string, unknown>) }
}

function fail(error: FetchFailure): Lookup {
  return { ok: false, failure: error }
}
