import { vaultBackend } from '../../../src/backends/vault/entry'
import type { Backend } from '../../../src/backends/types'
import { commonOptions } from '../../../src/config/common'
import { settingsFromLayers } from '../../../src/config/settings'
import type { DebugEvent } from '../../../src/log'
import { Redactor } from '../../../src/secrets/redact'
import type { Lookup, SecretRef } from '../../../src/secrets/ref'
import { refKey } from '../../../src/secrets/ref'

/** A Vault backend built from settings as the CLI would, with its debug events captured. */
export interface InProcessVault {
  readonly backend: Backend
  readonly events: DebugEvent[]
  readonly redactor: Redactor
  /** `fetchMany` and the lookups in the order of `refs`. */
  fetch(refs: readonly SecretRef[], signal?: AbortSignal): Promise<Lookup[]>
}

/** Builds the backend in-process (no CLI): parseConfig → load → factory. Throws on config issues. */
export async function inProcessVault(
  values: Readonly<Record<string, string>>,
  options: { env?: Readonly<Record<string, string | undefined>>; disableTokenCache?: boolean } = {},
): Promise<InProcessVault> {
  const settings = settingsFromLayers([{ name: 'env', values: new Map(Object.entries(values)) }])
  const parsed = vaultBackend.parseConfig(settings)
  if (!parsed.ok) throw new Error(`config issues: ${parsed.failures.join('; ')}`)
  const { deadlineMs } = commonOptions(settings)
  const create = await vaultBackend.load()
  const events: DebugEvent[] = []
  const redactor = new Redactor()
  const log = (event: DebugEvent): void => {
    events.push(event)
  }
  const backend = create(parsed.config, {
    log,
    registerSecret: (value) => {
      redactor.add(value)
    },
    env: options.env ?? {},
    cwd: '/',
    disableTokenCache: options.disableTokenCache ?? false,
  })
  return {
    backend,
    events,
    redactor,
    async fetch(refs, signal = new AbortController().signal) {
      // The run's deadline, as the pipeline builds it (pipeline/generate.ts).
      const run = AbortSignal.any([signal, AbortSignal.timeout(deadlineMs)])
      const results = await backend.fetchMany(refs, { signal: run, deadlineMs, log })
      return refs.map((ref) => {
        const found = results.get(refKey(ref))
        if (found === undefined) throw new Error(`no result for ${ref.path}`)
        return found
      })
    },
  }
}

/** The data of a successful lookup, or the failure as `CODE: message`. */
export function show(lookup: Lookup): unknown {
  return lookup.ok ? lookup.data.reveal() : `${lookup.failure.code}: ${lookup.failure.message}`
}
