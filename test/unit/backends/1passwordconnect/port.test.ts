// The Connect port sends the bearer token to OP_CONNECT_HOST only: a redirect
// is handed back as an answer, never followed to the host it names.
import http from 'node:http'
import { createConnectPort } from '../../../../src/backends/1passwordconnect/port'
import type { ConnectConfig } from '../../../../src/backends/1passwordconnect/config'
import { Secret } from '../../../../src/secrets/secret'
import { listen, stop } from '../../../support/loopback'

test('a redirect comes back as a 302 and the token never reaches its target', async () => {
  const seenElsewhere: (string | undefined)[] = []
  const elsewhere = http.createServer((req, res) => {
    seenElsewhere.push(req.headers.authorization)
    res.end('{}')
  })
  const elsewherePort = await listen(elsewhere)
  const connect = http.createServer((_req, res) => {
    res.writeHead(302, { Location: `http://127.0.0.1:${String(elsewherePort)}/v1/vaults` })
    res.end()
  })
  const connectPort = await listen(connect)
  try {
    const config: ConnectConfig = {
      host: new URL(`http://127.0.0.1:${String(connectPort)}`),
      token: new Secret('canary-connect-token'),
      concurrency: 1,
      maxAttempts: 1,
      requestTimeoutMs: 2000,
    }
    const answer = await createConnectPort(config).get('/v1/vaults', new AbortController().signal)
    expect(answer).toMatchObject({ ok: true, status: 302 })
    expect(seenElsewhere).toEqual([])
  } finally {
    await stop(connect)
    await stop(elsewhere)
  }
})
