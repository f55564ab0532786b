import type { FetchFailure } from '../../secrets/ref'
import type { SopsOutcome } from './port'

/**
 * A failed sops run as one line of our own. sops's stderr is matched for a
 * few known phrases but never quoted: for a file that does not parse it can
 * echo the file's lines, and it lists the key locations it tried.
 * Exit codes are sops's own (cmd/sops/codes in the sops repository).
 */
/** ErrorDecryptingMac, ErrorDecryptingTree, MacMismatch, MacNotFound. */
const MAC_FAILURES = new Set([24, 25, 51, 52])

export function sopsFailure(
  outcome: Extract<SopsOutcome, { kind: 'failed' | 'spawn-error' | 'missing' }>,
  file: string,
  inputType: 'yaml' | 'json',
): FetchFailure {
  const what = `sops file ${file}`
  if (outcome.kind === 'missing') {
    return { code: 'CONFIG_INVALID', message: 'sops is not installed or not on PATH' }
  }
  if (outcome.kind === 'spawn-error') {
    if (outcome.code === 'ENOENT') {
      return { code: 'CONFIG_INVALID', message: 'sops is not installed or not on PATH' }
    }
    if (outcome.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
      return { code: 'BACKEND_ERROR', message: `${what} decrypts to more than 16 MiB` }
    }
    return { code: 'BACKEND_ERROR', message: `sops could not be started (${outcome.code})` }
  }
  const { exitCode, stderr } = outcome
  if (exitCode === 128) {
    return {
      code: 'DECRYPTION_FAILED',
      message: `no key could decrypt ${what}: the sidecar needs the private key of one of its recipients (age: SOPS_AGE_KEY_FILE or SOPS_AGE_KEY)`,
    }
  }
  if (exitCode !== undefined && MAC_FAILURES.has(exitCode)) {
    return {
      code: 'DECRYPTION_FAILED',
      message: `${what} fails its integrity check (MAC): it was changed after it was encrypted`,
    }
  }
  if (/sops metadata not found/i.test(stderr)) {
    return {
      code: 'DECRYPTION_FAILED',
      message: `${what} is not encrypted with sops (no sops metadata)`,
    }
  }
  if (/unmarshal|^yaml: |invalid character/im.test(stderr)) {
    return {
      code: 'BACKEND_ERROR',
      message: `sops could not parse ${what} as ${inputType.toUpperCase()}`,
    }
  }
  const code = exitCode === undefined ? 'unknown' : String(exitCode)
  return { code: 'BACKEND_ERROR', message: `sops failed on ${what} (exit code ${code})` }
}
