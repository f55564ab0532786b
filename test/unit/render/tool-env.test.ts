import fs from 'node:fs'
import path from 'node:path'
import { homeOverrides, isAllowedToolVar, toolEnv } from '../../../src/render/tool-env'
import { testdir } from '../../support/testdir'

describe('toolEnv (what helm and kustomize may see)', () => {
  const env = {
    PATH: '/usr/bin',
    HOME: '/home/x',
    LANG: 'C.UTF-8',
    LC_ALL: 'C',
    TMPDIR: '/tmp',
    HTTPS_PROXY: 'http://proxy:3128',
    HELM_CACHE_HOME: '/tmp/h',
    SSL_CERT_FILE: '/etc/ca.pem',
    VAULT_TOKEN: 'canary-vault-token',
    VAULT_ADDR: 'https://vault',
    AVP_SECRET_ID: 'canary-secret-id',
    AVP_TYPE: 'vault',
    AWS_SECRET_ACCESS_KEY: 'canary-aws',
    AWS_SESSION_TOKEN: 'canary-aws-session',
    ARGOCD_ENV_HELM_VALUES: 'canary-values',
    ARGOCD_APP_PARAMETERS: '[]',
    PARAM_VALUES: 'canary-param',
    HELM_KUBETOKEN: 'canary-kube-token',
    KUBECONFIG: '/root/.kube/config',
    KUBERNETES_SERVICE_HOST: '10.0.0.1',
    KUBE_VERSION: '1.29.0',
    GIT_ASKPASS: '/bin/askpass',
    UNSET: undefined,
  }

  test('passes the allow-list only', () => {
    expect(toolEnv(env)).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/x',
      LANG: 'C.UTF-8',
      LC_ALL: 'C',
      TMPDIR: '/tmp',
      HTTPS_PROXY: 'http://proxy:3128',
      HELM_CACHE_HOME: '/tmp/h',
      SSL_CERT_FILE: '/etc/ca.pem',
    })
    expect(JSON.stringify(toolEnv(env))).not.toContain('canary')
  })

  test('overrides win', () => {
    expect(toolEnv({ HOME: '/a' }, { HOME: '/b' })).toEqual({ HOME: '/b' })
  })

  test.each([
    'VAULT_TOKEN',
    'AWS_ACCESS_KEY_ID',
    'AVP_ROLE_ID',
    'ARGOCD_ENV_X',
    'HELM_KUBETOKEN',
    'KUBECONFIG',
  ])('%s is never allowed', (name) => {
    expect(isAllowedToolVar(name)).toBe(false)
  })
})

describe('homeOverrides', () => {
  test('a writable HOME is kept; one that does not exist yet is created', async () => {
    const parent = testdir()
    const home = path.join(parent, 'argocd-secret-plugin-home')
    expect(await homeOverrides({ HOME: home }, testdir())).toEqual({})
    expect(fs.statSync(home).isDirectory()).toBe(true)
  })

  test.each([
    [{}],
    [{ HOME: '' }],
    [{ HOME: '/etc/hostname/home' }],
    [{ HOME: '/nonexistent-parent/home' }],
  ])('no usable HOME (%j): a home in the private dir, with Helm dirs inside', async (env) => {
    const dir = testdir()
    const home = path.join(dir, 'home')
    expect(await homeOverrides(env, dir)).toEqual({
      HOME: home,
      HELM_CACHE_HOME: path.join(home, '.cache/helm'),
      HELM_CONFIG_HOME: path.join(home, '.config/helm'),
      HELM_DATA_HOME: path.join(home, '.local/share/helm'),
    })
    expect(fs.statSync(home).mode & 0o777).toBe(0o700)
    expect(fs.existsSync('/nonexistent-parent')).toBe(false)
  })

  test('Helm dirs set by the operator are kept', async () => {
    const dir = testdir()
    const out = await homeOverrides({ HELM_CACHE_HOME: '/cache' }, dir)
    expect(out['HELM_CACHE_HOME']).toBeUndefined()
    expect(out['HOME']).toBe(path.join(dir, 'home'))
  })
})
