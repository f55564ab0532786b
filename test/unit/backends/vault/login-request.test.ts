import path from 'node:path'
import { loginInputs, loginRequest } from '../../../../src/backends/vault/auth/login-request'
import type { VaultAuthConfig } from '../../../../src/backends/vault/config'
import { Redactor } from '../../../../src/secrets/redact'
import { Secret } from '../../../../src/secrets/secret'
import { testdir } from '../../../support/testdir'

type LoginAuth = Exclude<VaultAuthConfig, { method: 'token' }>

async function request(auth: LoginAuth, redactor = new Redactor()) {
  const result = await loginRequest(auth, (value) => {
    redactor.add(value)
  })
  return result.ok
    ? { path: result.request.path.join('/'), body: result.request.body }
    : result.failure
}

test('approle posts role_id and secret_id to <mount>/login', async () => {
  expect(
    await request({
      method: 'approle',
      mount: 'auth/approle',
      roleId: new Secret('r'),
      secretId: new Secret('s'),
    }),
  ).toEqual({ path: 'auth/approle/login', body: { role_id: 'r', secret_id: 's' } })
})

test('kubernetes always names its mount (node-vault #300 posted to auth//login) and trims the JWT', async () => {
  const dir = testdir({ token: '  eyJ.canary-jwt.sig\n' })
  const redactor = new Redactor()
  const auth: LoginAuth = {
    method: 'k8s',
    mount: 'auth/kubernetes',
    role: 'argocd',
    jwtPath: path.join(dir, 'token'),
  }
  expect(await request(auth, redactor)).toEqual({
    path: 'auth/kubernetes/login',
    body: { role: 'argocd', jwt: 'eyJ.canary-jwt.sig' },
  })
  expect(redactor.redact('x eyJ.canary-jwt.sig y')).toBe('x *** y')
  expect(await request({ ...auth, mount: 'auth/k8s/prod' })).toMatchObject({
    path: 'auth/k8s/prod/login',
  })
})

test('an unreadable or empty JWT file is explained by path and code', async () => {
  const dir = testdir({ empty: '\n' })
  expect(
    await request({
      method: 'k8s',
      mount: 'auth/kubernetes',
      role: 'a',
      jwtPath: path.join(dir, 'missing'),
    }),
  ).toBe(
    `cannot read the Kubernetes service-account token ${path.join(dir, 'missing')} (AVP_K8S_TOKEN_PATH): ENOENT`,
  )
  expect(
    await request({
      method: 'k8s',
      mount: 'auth/kubernetes',
      role: 'a',
      jwtPath: path.join(dir, 'empty'),
    }),
  ).toBe(`the Kubernetes service-account token ${path.join(dir, 'empty')} is empty`)
})

test('userpass puts the user name in one path segment (encoded later by the port)', async () => {
  const result = await loginRequest(
    { method: 'userpass', mount: 'auth/userpass', username: 'a/b=c&d', password: new Secret('p') },
    () => undefined,
  )
  expect(result.ok && result.request.path).toEqual(['auth', 'userpass', 'login', 'a/b=c&d'])
})

test('github and cert', async () => {
  expect(
    await request({ method: 'github', mount: 'auth/github', token: new Secret('ghp_x') }),
  ).toEqual({
    path: 'auth/github/login',
    body: { token: 'ghp_x' },
  })
  expect(await request({ method: 'cert', mount: 'auth/cert' })).toEqual({
    path: 'auth/cert/login',
    body: {},
  })
  expect(await request({ method: 'cert', mount: 'auth/cert-prod', role: 'web' })).toEqual({
    path: 'auth/cert-prod/login',
    body: { name: 'web' },
  })
})

test('login inputs hold every part of the credential, for the cache key', async () => {
  const tls = { skipVerify: false }
  const inputs = async (auth: Parameters<typeof loginRequest>[0]): Promise<string> => {
    const built = await loginRequest(auth, () => undefined)
    if (!built.ok) throw new Error(built.failure)
    return JSON.stringify(await loginInputs(built.request, auth, tls))
  }
  const approle = (secretId: string) =>
    inputs({
      method: 'approle',
      mount: 'auth/approle',
      roleId: new Secret('r1'),
      secretId: new Secret(secretId),
    })
  expect(await approle('s1')).not.toBe(await approle('s2'))
  const user = (password: string) =>
    inputs({
      method: 'userpass',
      mount: 'auth/userpass',
      username: 'bob',
      password: new Secret(password),
    })
  expect(await user('p1')).not.toBe(await user('p2'))
  const github = (token: string) =>
    inputs({ method: 'github', mount: 'auth/github', token: new Secret(token) })
  expect(await github('t1')).not.toBe(await github('t2'))
  const k8s = (jwt: string) =>
    inputs({
      method: 'k8s',
      mount: 'auth/kubernetes',
      role: 'a',
      jwtPath: path.join(testdir({ jwt }), 'jwt'),
    })
  expect(await k8s('jwt-1')).not.toBe(await k8s('jwt-2'))
})
