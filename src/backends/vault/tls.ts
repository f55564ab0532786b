import fs from 'node:fs/promises'
import type https from 'node:https'
import path from 'node:path'
import type { RegisterSecret } from '../../secrets/redact'
import type { VaultTlsConfig } from './config'
import { fsCode } from './fs-code'

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

export type TlsResult =
  | { readonly ok: true; readonly options: https.AgentOptions }
  | { readonly ok: false; readonly failure: string }

/**
 * Builds the TLS options the Vault CLI would use: `VAULT_CACERT` (a PEM
 * bundle) or else `VAULT_CAPATH` (every PEM file in a directory) replaces
 * the system roots; `VAULT_SKIP_VERIFY` turns verification off only when it
 * parses as true; `VAULT_CLIENT_CERT`/`VAULT_CLIENT_KEY` are presented on
 * every connection (cert auth needs them at login). Read once per run, and
 * only when a secret is fetched.
 */
export async function loadTls(
  tls: VaultTlsConfig,
  registerSecret: RegisterSecret,
): Promise<TlsResult> {
  try {
    const ca =
      tls.caCert !== undefined
        ? await readCaFile('VAULT_CACERT', tls.caCert)
        : tls.caPath !== undefined
          ? await readCaDir(tls.caPath)
          : undefined
    const options: https.AgentOptions = { rejectUnauthorized: !tls.skipVerify }
    if (ca !== undefined) options.ca = ca
    if (tls.clientCert !== undefined && tls.clientKey !== undefined) {
      options.cert = await readText('VAULT_CLIENT_CERT', tls.clientCert)
      const key = await readText('VAULT_CLIENT_KEY', tls.clientKey)
      registerSecret(key)
      options.key = key
    }
    return { ok: true, options }
  } catch (err) {
    if (err instanceof TlsFileError) return { ok: false, failure: err.message }
    throw err
  }
}

/** A TLS file problem; the message names the key and the file, and the fs error code only. */
class TlsFileError extends Error {}

async function readText(key: string, file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8')
  } catch (err) {
    throw new TlsFileError(`cannot read ${key} file ${file}: ${fsCode(err)}`)
  }
}

async function readCaFile(key: string, file: string): Promise<string[]> {
  const certs = (await readText(key, file)).match(PEM_CERT) ?? []
  if (certs.length === 0) throw new TlsFileError(`${key} file ${file} holds no PEM certificate`)
  return certs
}

async function readCaDir(dir: string): Promise<string[]> {
  let names: string[]
  try {
    names = (await fs.readdir(dir)).sort()
  } catch (err) {
    throw new TlsFileError(`cannot read VAULT_CAPATH directory ${dir}: ${fsCode(err)}`)
  }
  const certs: string[] = []
  for (const name of names) {
    const file = path.join(dir, name)
    const stat = await fs.stat(file).catch(() => undefined)
    if (stat?.isFile() !== true) continue
    certs.push(...((await readText('VAULT_CAPATH', file)).match(PEM_CERT) ?? []))
  }
  if (certs.length === 0)
    throw new TlsFileError(`VAULT_CAPATH directory ${dir} holds no PEM certificate`)
  return certs
}
