// The Vault port over TLS, against loopback servers with a throwaway PKI made
// by the openssl CLI: a redirect must never move the token from https to http.
import fs from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { createVaultPort } from '../../src/backends/vault/port'
import { VaultTransportError } from '../../src/backends/vault/port-types'
import { generatePki } from '../support/fake-vault/certs'
import { listen, stop } from '../support/loopback'

test('a redirect from https to http is not followed: the token would travel in clear', async () => {
  const pki = generatePki()
  const plainSeen: string[] = []
  const plain = http.createServer((req, res) => {
    plainSeen.push(String(req.headers['x-vault-token']))
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"data":{}}')
  })
  const plainPort = await listen(plain)
  const tlsSeen: string[] = []
  const tls = https.createServer(
    {
      key: fs.readFileSync(pki.serverKey, 'utf8'),
      cert: fs.readFileSync(pki.serverCert, 'utf8'),
    },
    (req, res) => {
      tlsSeen.push(req.url ?? '')
      // An https-to-https hop is followed; the next one points at plain http.
      const location = req.url?.startsWith('/standby')
        ? `http://127.0.0.1:${String(plainPort)}/v1/x`
        : `/standby${req.url ?? ''}`
      res.writeHead(307, { Location: location }).end()
    },
  )
  const tlsPort = await listen(tls)
  const port = createVaultPort({
    address: `https://127.0.0.1:${String(tlsPort)}`,
    tls: { ca: fs.readFileSync(pki.caCert, 'utf8') },
    timeoutMs: 2000,
  })
  try {
    const error = await port
      .read(['x'], {}, { signal: new AbortController().signal, token: 'hvs.canary-token' })
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(error).toEqual(new VaultTransportError('ERR_REDIRECT'))
    expect(String(error)).not.toContain('canary')
    expect(tlsSeen).toEqual(['/v1/x', '/standby/v1/x'])
    expect(plainSeen).toEqual([])
  } finally {
    port.close()
    await Promise.all([stop(tls), stop(plain)])
  }
})
