import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** Files of a throwaway PKI for TLS tests: a CA, a server cert for 127.0.0.1/localhost and a client cert. */
export interface TestPki {
  readonly dir: string
  readonly caCert: string
  readonly serverCert: string
  readonly serverKey: string
  readonly clientCert: string
  readonly clientKey: string
  /** `fingerprint256` of the client certificate, for `FakeVault#addCertRole`. */
  readonly clientFingerprint: string
}

/**
 * Generates a self-signed CA and two leaf certificates with the `openssl`
 * CLI (EC P-256, valid two days). Nothing is fetched from the network.
 */
export function generatePki(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asp-pki-'))): TestPki {
  const file = (name: string): string => path.join(dir, name)
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  }
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=fake-vault test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  )
  const leaf = (name: string, cn: string, ext: string): void => {
    fs.writeFileSync(file(`${name}.ext`), ext)
    openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`)
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    )
  }
  leaf(
    'server',
    'localhost',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  )
  leaf('client', 'argocd-repo-server', 'extendedKeyUsage=clientAuth\n')
  return {
    dir,
    caCert: file('ca.pem'),
    serverCert: file('server.pem'),
    serverKey: file('server.key'),
    clientCert: file('client.pem'),
    clientKey: file('client.key'),
    clientFingerprint: new X509Certificate(fs.readFileSync(file('client.pem'))).fingerprint256,
  }
}
