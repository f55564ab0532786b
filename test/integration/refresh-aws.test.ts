// `refresh` with AWS Secrets Manager (moto): the current version is the
// VersionId staged AWSCURRENT, asked with DescribeSecret once per distinct
// secret and never with a value read; a secret scheduled for deletion
// refreshes its apps.
import fs from 'node:fs'
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import { startInClusterFake, type FakeKubeApi } from '../support/fake-kube-api'
import { awsEnv, startMoto, type Moto } from '../support/moto'
import { baseEnv, CLI_PATH, runCli } from '../support/run-cli'
import { testdir } from '../support/testdir'

const TOKEN = 'canary-sa-token-aws-3c7d'

let api: FakeKubeApi
let moto: Moto
let east: SecretsManagerClient
let kubeEnv: Readonly<Record<string, string>>

beforeAll(async () => {
  if (!fs.existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run npm run build first`)
  ;({ api, env: kubeEnv } = await startInClusterFake(testdir(), TOKEN))
  moto = await startMoto()
  east = moto.client('us-east-1')
}, 40_000)

afterAll(async () => {
  await api.close()
  await moto.stop()
})

/** An Application whose one ConfigMap recorded `recorded`. */
function addApp(name: string, recorded: Record<string, string>): void {
  const object = `/api/v1/namespaces/aws-apps/configmaps/${name}`
  api.setObject(object, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: 'aws-apps',
      annotations: { 'argocd-secret-plugin.io/secret-versions': JSON.stringify(recorded) },
    },
  })
  api.setApplication('argocd', {
    metadata: { name },
    spec: {
      source: { plugin: { name: 'argocd-secret-plugin' } },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'aws-apps' },
    },
    status: { resources: [{ version: 'v1', kind: 'ConfigMap', namespace: 'aws-apps', name }] },
  })
}

async function create(name: string, value: string): Promise<string> {
  const out = await east.send(new CreateSecretCommand({ Name: name, SecretString: value }))
  return out.VersionId ?? ''
}

test('a rotated secret shared by two apps: both refreshed, one DescribeSecret per secret, no value read', async () => {
  const shared = await create('shared/db', '{"password":"canary-aws-v1"}')
  const solo = await create('solo/api', '{"key":"canary-aws-solo"}')
  const doomed = await create('doomed/db', '{"password":"canary-aws-doomed"}')
  addApp('first', { 'shared/db': shared })
  addApp('second', { 'shared/db': shared, 'solo/api': solo })
  addApp('third', { 'doomed/db': doomed })
  const put = await east.send(
    new PutSecretValueCommand({ SecretId: 'shared/db', SecretString: '{"password":"canary-v2"}' }),
  )
  await east.send(new DeleteSecretCommand({ SecretId: 'doomed/db', RecoveryWindowInDays: 7 }))
  moto.calls.clear()

  const result = await runCli(['refresh'], {
    env: baseEnv(
      awsEnv(moto.proxyEndpoint, {
        HOME: testdir(),
        ...kubeEnv,
      }),
    ),
  })
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  expect(result.stdout.split('\n').filter((l) => l !== '')).toEqual([
    `refreshed first: shared/db moved from version ${shared} to ${put.VersionId ?? ''}`,
    `refreshed second: shared/db moved from version ${shared} to ${put.VersionId ?? ''}`,
    `refreshed third: secret doomed/db is scheduled for deletion (recorded version ${doomed})`,
    '3 application(s) use argocd-secret-plugin, 3 object(s) read, 3 secret(s) checked, 3 refreshed',
  ])
  expect(moto.calls.count('DescribeSecret')).toBe(3)
  expect(moto.calls.count('GetSecretValue')).toBe(0)
  expect(moto.calls.count('BatchGetSecretValue')).toBe(0)
  expect(api.patches.map((p) => p.name).sort()).toEqual(['first', 'second', 'third'])
  expect(result.stdout).not.toContain('canary')
})
