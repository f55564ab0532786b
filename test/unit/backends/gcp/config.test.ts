import { endpointFor, parseGcpConfig } from '../../../../src/backends/gcp/config'
import { settingsFromLayers } from '../../../../src/config/settings'

const settings = (env: Record<string, string>, app: Record<string, string> = {}) =>
  settingsFromLayers([
    { name: 'ARGOCD_ENV_', values: new Map(Object.entries(app)) },
    { name: 'env', values: new Map(Object.entries(env)) },
  ])

test('defaults: ADC, Google endpoint', () => {
  const result = parseGcpConfig(settings({}))
  expect(result).toMatchObject({ ok: true, config: { maxAttempts: 3, concurrency: 16 } })
  expect(result.ok && result.config.endpoint).toBe(undefined)
})

test('an https endpoint, or http on loopback only', () => {
  expect(parseGcpConfig(settings({ AVP_GCP_ENDPOINT: 'https://sm.example:8443' }))).toMatchObject({
    ok: true,
    config: { endpoint: { protocol: 'https', host: 'sm.example', port: 8443 } },
  })
  expect(parseGcpConfig(settings({ AVP_GCP_ENDPOINT: 'http://127.0.0.1:9' }))).toMatchObject({
    ok: true,
    config: { endpoint: { protocol: 'http', host: '127.0.0.1', port: 9 } },
  })
  expect(parseGcpConfig(settings({ AVP_GCP_ENDPOINT: 'http://sm.example' }))).toEqual({
    ok: false,
    failures: [
      'AVP_GCP_ENDPOINT: expected an https:// URL without user or password (http:// only on 127.0.0.1)',
    ],
  })
})

test('an Application cannot set the endpoint or the key file', () => {
  const result = parseGcpConfig(
    settings(
      {},
      { AVP_GCP_ENDPOINT: 'https://evil.example', GOOGLE_APPLICATION_CREDENTIALS: '/x' },
    ),
  )
  expect(result.ok ? [] : result.failures).toEqual([
    "ARGOCD_ENV_AVP_GCP_ENDPOINT: AVP_GCP_ENDPOINT chooses an endpoint or credential, so only the sidecar's environment, config file or Secret may set it",
    "ARGOCD_ENV_GOOGLE_APPLICATION_CREDENTIALS: GOOGLE_APPLICATION_CREDENTIALS chooses an endpoint or credential, so only the sidecar's environment, config file or Secret may set it",
  ])
})

test('a regional secret goes to its location endpoint, unless the operator set one for all', () => {
  const result = parseGcpConfig(settings({}))
  if (!result.ok) throw new Error('config')
  expect(endpointFor(result.config, undefined)).toEqual({
    protocol: 'https',
    host: 'secretmanager.googleapis.com',
    port: 443,
  })
  expect(endpointFor(result.config, 'europe-west4')).toEqual({
    protocol: 'https',
    host: 'secretmanager.europe-west4.rep.googleapis.com',
    port: 443,
  })
  const custom = parseGcpConfig(settings({ AVP_GCP_ENDPOINT: 'https://sm.example:8443' }))
  if (!custom.ok) throw new Error('config')
  expect(endpointFor(custom.config, 'europe-west4')).toEqual({
    protocol: 'https',
    host: 'sm.example',
    port: 8443,
  })
})
