import type { DebugEvent } from '../../../src/log'
import { ConfigError } from '../../../src/errors'
import type { KubeSecretReader } from '../../../src/config/kube-secret'
import { Redactor } from '../../../src/secrets/redact'
import { CWD, configIssues, fakeKube, files, load } from './load-doubles'

/** The operator lets Applications set any key (config/app-policy.ts), as AVP does. */
const ANY_APP_KEY = { AVP_APP_ENV_ALLOWLIST: '*' }

describe('precedence: ARGOCD_ENV_ > env > file > secret > default', () => {
  const yaml = { [`${CWD}/cfg.yaml`]: 'AVP_KV_VERSION: "1"\nVAULT_ADDR: https://file\n' }
  test.each([
    [
      'all layers',
      { ARGOCD_ENV_VAULT_ADDR: 'https://argo', VAULT_ADDR: 'https://env', ...ANY_APP_KEY },
      'https://argo',
      'ARGOCD_ENV_',
    ],
    ['env beats file and secret', { VAULT_ADDR: 'https://env' }, 'https://env', 'env'],
    ['file beats secret', {}, 'https://file', 'config file'],
    [
      'empty ARGOCD_ENV_ counts as unset',
      { ARGOCD_ENV_VAULT_ADDR: '', VAULT_ADDR: 'https://env' },
      'https://env',
      'env',
    ],
    ['empty env counts as unset', { VAULT_ADDR: '' }, 'https://file', 'config file'],
  ])('%s', async (_name, env, value, source) => {
    const settings = await load({
      env,
      configPath: 'cfg.yaml',
      secretName: 'avp',
      readFile: files(yaml),
      kube: fakeKube({ VAULT_ADDR: 'https://secret', AVP_TYPE: 'vault' }),
    })
    expect(settings.get('VAULT_ADDR')).toBe(value)
    expect(settings.sourceOf('VAULT_ADDR')).toBe(source)
    expect(settings.get('AVP_TYPE')).toBe('vault')
    expect(settings.sourceOf('AVP_TYPE')).toBe('secret')
    expect(settings.get('AVP_KV_VERSION')).toBe('1')
  })

  test('defaults apply last: AVP_KV_VERSION=2', async () => {
    const settings = await load({})
    expect(settings.get('AVP_KV_VERSION')).toBe('2')
    expect(settings.sourceOf('AVP_KV_VERSION')).toBe('default')
  })

  test('file and Secret merge per key, the file winning (AVP discards the Secret)', async () => {
    const kube = fakeKube({ AVP_TYPE: 'vault', VAULT_ADDR: 'https://secret', AVP_AUTH_TYPE: 'k8s' })
    const settings = await load({
      configPath: 'cfg.yaml',
      secretName: 'tenant-a:avp-config',
      readFile: files(yaml),
      kube,
    })
    expect(kube.calls).toEqual([{ namespace: 'tenant-a', name: 'avp-config' }])
    expect(settings.get('AVP_AUTH_TYPE')).toBe('k8s')
    expect(settings.get('VAULT_ADDR')).toBe('https://file')
    expect(settings.keys()).toEqual(['AVP_AUTH_TYPE', 'AVP_KV_VERSION', 'AVP_TYPE', 'VAULT_ADDR'])
  })

  test('a real env var is never overwritten by a file value, whatever its prefix', async () => {
    const settings = await load({
      env: { HTTPS_PROXY: 'http://env-proxy', PATH: '/usr/bin' },
      configPath: 'x.env',
      readFile: files({ [`${CWD}/x.env`]: 'HTTPS_PROXY=http://file-proxy\n' }),
    })
    expect(settings.get('HTTPS_PROXY')).toBe('http://env-proxy')
    expect(settings.keys()).not.toContain('PATH')
  })
})

describe('ARGOCD_ENV_ and environment keys', () => {
  test('every ARGOCD_ENV_ variable becomes a key with the prefix stripped', async () => {
    const settings = await load({
      env: {
        ARGOCD_ENV_AVP_TYPE: 'vault',
        ARGOCD_ENV_HELM_ARGS: '-f x',
        ARGOCD_ENVX: 'no',
        ...ANY_APP_KEY,
      },
    })
    expect(settings.get('AVP_TYPE')).toBe('vault')
    expect(settings.get('HELM_ARGS')).toBe('-f x')
    expect(settings.get('ARGOCD_ENVX')).toBeUndefined()
    expect(settings.get('X')).toBeUndefined()
  })

  test('ARGOCD_ENV_AVP_TYPE beats a bad AVP_TYPE (AVP config_test)', async () => {
    const settings = await load({
      env: { AVP_TYPE: 'not-valid-type', ARGOCD_ENV_AVP_TYPE: 'vault', ...ANY_APP_KEY },
    })
    expect(settings.get('avp_type')).toBe('vault')
  })

  test('lower-case env names are ignored, as viper only reads upper-case env', async () => {
    const settings = await load({ env: { avp_type: 'vault' } })
    expect(settings.get('AVP_TYPE')).toBeUndefined()
  })

  test.each([
    ['vault\n', 'vault'],
    ['  approle ', 'approle'],
  ])('AVP_TYPE and AVP_AUTH_TYPE are trimmed: %j', async (raw, trimmed) => {
    const settings = await load({ env: { AVP_TYPE: raw, AVP_AUTH_TYPE: raw, VAULT_ADDR: ' x ' } })
    expect(settings.get('AVP_TYPE')).toBe(trimmed)
    expect(settings.get('AVP_AUTH_TYPE')).toBe(trimmed)
    expect(settings.get('VAULT_ADDR')).toBe(' x ')
  })

  test('a whitespace-only AVP_TYPE counts as unset and does not hide a lower layer', async () => {
    const settings = await load({ env: { ARGOCD_ENV_AVP_TYPE: ' \n', AVP_TYPE: 'file' } })
    expect(settings.get('AVP_TYPE')).toBe('file')
  })

  test('two ARGOCD_ENV_ spellings of one key are an issue, not a silent pick', async () => {
    const issues = await configIssues({
      env: { ARGOCD_ENV_AVP_TYPE: 'vault', ARGOCD_ENV_avp_type: 'file', ...ANY_APP_KEY },
    })
    expect(issues).toEqual([
      'ARGOCD_ENV_: AVP_TYPE is given more than once (keys are case-insensitive)',
    ])
  })
})

describe('--secret-name', () => {
  test('NAME reads from namespace argocd', async () => {
    const kube = fakeKube({ AVP_TYPE: 'vault' })
    await load({ secretName: 'avp-config', kube })
    expect(kube.calls).toEqual([{ namespace: 'argocd', name: 'avp-config' }])
  })

  test.each(['a:b:c', ':name', 'ns:', ':', 'Bad_Name'])(
    '%j is rejected before any API call',
    async (name) => {
      const kube = fakeKube({})
      const issues = await configIssues({ secretName: name, kube })
      expect(issues).toHaveLength(1)
      expect(issues[0]).toMatch(/^--secret-name: ".*" must be NAME or NAMESPACE:NAME/)
      expect(kube.calls).toEqual([])
    },
  )

  test('issues of the file and the Secret are reported together', async () => {
    const kube: KubeSecretReader = {
      read: () => Promise.reject(new ConfigError(['--secret-name: secret argocd/x not found'])),
    }
    const issues = await configIssues({
      configPath: 'missing.env',
      secretName: 'x',
      readFile: files({}),
      kube,
    })
    expect(issues).toEqual([
      '--config-path: cannot read "missing.env": file not found',
      '--secret-name: secret argocd/x not found',
    ])
  })

  test('an unexpected error from the reader is a bug and propagates unchanged', async () => {
    const bug = new TypeError('boom')
    const kube: KubeSecretReader = { read: () => Promise.reject(bug) }
    await expect(load({ secretName: 'x', kube })).rejects.toBe(bug)
  })
})

describe('redaction and debug log', () => {
  test('credential-like values from every layer are registered; the log holds key names only', async () => {
    const redactor = new Redactor()
    const events: DebugEvent[] = []
    await load({
      env: {
        ARGOCD_ENV_AVP_SECRET_ID: 'canary-argo-1234',
        VAULT_TOKEN: 'canary-env-1234',
        ...ANY_APP_KEY,
      },
      configPath: 'c.env',
      secretName: 's',
      readFile: files({
        [`${CWD}/c.env`]: 'AVP_ROLE_ID=canary-file-1234\nVAULT_ADDR=https://v:8200\n',
      }),
      kube: fakeKube({ AWS_SECRET_ACCESS_KEY: 'canary-secret-1234' }),
      registerSecret: (value) => {
        redactor.add(value)
      },
      log: (e) => events.push(e),
    })
    const text =
      'canary-argo-1234 canary-env-1234 canary-file-1234 canary-secret-1234 https://v:8200'
    expect(redactor.redact(text)).toBe('*** *** *** *** https://v:8200')
    expect(events).toEqual([
      { kind: 'config', source: 'ARGOCD_ENV_', keys: ['AVP_SECRET_ID'] },
      { kind: 'config', source: 'env', keys: ['AVP_APP_ENV_ALLOWLIST', 'VAULT_TOKEN'] },
      { kind: 'config', source: 'config file', keys: ['AVP_ROLE_ID', 'VAULT_ADDR'] },
      { kind: 'config', source: 'secret', keys: ['AWS_SECRET_ACCESS_KEY'] },
      { kind: 'config', source: 'default', keys: ['AVP_KV_VERSION'] },
    ])
  })

  test('credentials are reported even when the configuration is refused', async () => {
    const reported: unknown[] = []
    await expect(
      load({
        // No allow-list: an Application may not set ARGOCD_ENV_VAULT_ADDR.
        env: { VAULT_TOKEN: 'canary-env-5678', ARGOCD_ENV_VAULT_ADDR: 'https://tenant' },
        registerSecret: (value) => reported.push(value),
      }),
    ).rejects.toBeInstanceOf(ConfigError)
    expect(reported).toEqual(['canary-env-5678'])
  })
})
