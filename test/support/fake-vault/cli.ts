import { baseEnv, runCli, type CliResult } from '../run-cli'
import { testdir } from '../testdir'

/** A Secret manifest whose `stringData` entries are the given placeholders. */
export function secretManifest(
  entries: Readonly<Record<string, string>>,
  annotations: Readonly<Record<string, string>> = {},
): string {
  const ann = Object.entries(annotations)
  const lines = [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: app',
    ...(ann.length > 0
      ? ['  annotations:', ...ann.map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)]
      : []),
    'stringData:',
    ...Object.entries(entries).map(([k, v]) => `  ${k}: ${v}`),
  ]
  return `${lines.join('\n')}\n`
}

export interface VaultRun extends CliResult {
  /** The HOME the run had (its token cache is `<home>/.avp` unless AVP_TOKEN_CACHE_DIR says otherwise). */
  readonly home: string
}

/**
 * Runs `generate <dir> --verbose` with the built CLI on `manifest`, with
 * `AVP_TYPE=vault` and `env` (and a fresh HOME unless `env.HOME` is given).
 */
export async function runVault(
  manifest: string,
  env: Readonly<Record<string, string | undefined>>,
  args: readonly string[] = [],
): Promise<VaultRun> {
  const dir = testdir({ 'manifest.yaml': manifest })
  const home = env['HOME'] ?? testdir()
  const result = await runCli(['generate', dir, '--verbose', ...args], {
    env: baseEnv({ AVP_TYPE: 'vault', ...env, HOME: home }),
  })
  return { ...result, home }
}

/** The `error:` lines of stderr, without the location suffix. */
export function errorLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('error: '))
    .map((l) => l.replace(/ at \S+manifest\.yaml#\d+ .*$/, ''))
}
