// moto's server mode as a real implementation of the Secrets Manager API
// (docs/design/aws-wire.md), started per test file on 127.0.0.1 and a free port,
// seeded through the AWS API itself. A counting proxy in front of it counts
// calls per operation, which moto does not expose.
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import path from 'node:path'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'

/** Static test credentials: moto does not check signatures, and nothing real is ever reached. */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIATESTTESTTEST',
  secretAccessKey: 'test-secret-key',
}

export interface CallLog {
  /** Calls per `X-Amz-Target` operation (`GetSecretValue`, `BatchGetSecretValue`). */
  count(op: string): number
  /** `SecretIdList` length of each BatchGetSecretValue call. */
  readonly batchSizes: number[]
  clear(): void
}

export interface Moto {
  /** moto itself; seed through this. */
  readonly endpoint: string
  /** The counting proxy in front of moto; point the plugin here. */
  readonly proxyEndpoint: string
  readonly calls: CallLog
  /** An SDK client on moto for seeding, in `region`. */
  client(region: string): SecretsManagerClient
  /** `POST /moto-api/reset`: drops every secret. */
  reset(): Promise<void>
  stop(): Promise<void>
}

export async function startMoto(): Promise<Moto> {
  const exe = findOnPath('moto_server')
  if (exe === undefined) {
    throw new Error(
      'moto_server is not on PATH: run scripts/install-test-tools.sh (it installs "moto[server]" with pip)',
    )
  }
  const port = await freePort()
  const endpoint = `http://127.0.0.1:${String(port)}`
  const child = spawn(exe, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)))
  try {
    await waitUntilUp(endpoint, child)
  } catch (err) {
    child.kill('SIGKILL')
    throw new Error(`moto_server did not start: ${(err as Error).message}\n${stderr}`)
  }
  const proxy = await startCountingProxy(port)
  const clients: SecretsManagerClient[] = []
  return {
    endpoint,
    proxyEndpoint: proxy.endpoint,
    calls: proxy.calls,
    client(region) {
      // Node 20 gets a multi-line SDK deprecation warning otherwise (read at client creation).
      process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'
      const c = new SecretsManagerClient({ region, endpoint, credentials: TEST_CREDENTIALS })
      clients.push(c)
      return c
    },
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' })
      if (!res.ok) throw new Error(`moto reset failed: HTTP ${String(res.status)}`)
      proxy.calls.clear()
    },
    async stop() {
      for (const c of clients) c.destroy()
      await proxy.close()
      await stopChild(child)
    },
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name)
    try {
      fs.accessSync(candidate, fs.constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo
      srv.close(() => {
        resolve(port)
      })
    })
  })
}

async function waitUntilUp(endpoint: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + 30_000
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`exited with code ${String(child.exitCode)}`)
    try {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' })
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('no answer within 30 s')
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** Forwards every request to moto unchanged, counting operations and batch sizes on the way. */
async function startCountingProxy(
  motoPort: number,
): Promise<{ endpoint: string; calls: CallLog; close(): Promise<void> }> {
  const counts = new Map<string, number>()
  const batchSizes: number[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const op = String(req.headers['x-amz-target'] ?? '').replace(/^secretsmanager\./, '')
      counts.set(op, (counts.get(op) ?? 0) + 1)
      if (op === 'BatchGetSecretValue') batchSizes.push(batchSize(body))
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: motoPort,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers)
          up.pipe(res)
        },
      )
      upstream.on('error', () => res.destroy())
      upstream.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${String(port)}`,
    calls: {
      count: (op) => counts.get(op) ?? 0,
      batchSizes,
      clear() {
        counts.clear()
        batchSizes.length = 0
      },
    },
    close() {
      server.closeAllConnections()
      return new Promise((resolve) =>
        server.close(() => {
          resolve()
        }),
      )
    },
  }
}

function batchSize(body: Buffer): number {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { SecretIdList?: unknown }
    return Array.isArray(parsed.SecretIdList) ? parsed.SecretIdList.length : 0
  } catch {
    return -1
  }
}

/**
 * The CLI environment for an AWS test: the plugin pointed at `endpoint` with
 * static test credentials, and the metadata service switched off (baseEnv),
 * so nothing can reach a real AWS endpoint.
 */
export function awsEnv(
  endpoint: string,
  extra: Readonly<Record<string, string | undefined>> = {},
): Record<string, string | undefined> {
  return {
    AVP_TYPE: 'awssecretsmanager',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    // Node 20 gets a multi-line SDK deprecation warning on stderr otherwise.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  }
}
