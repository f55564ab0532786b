import { sopsEnv } from '../../../../src/backends/sops/child-env'

test('sops sees the allow-list, fixed-endpoint key services and the operator age keys only', () => {
  const env = sopsEnv(
    {
      PATH: '/usr/bin',
      HOME: '/home/argocd',
      GNUPGHOME: '/gpg',
      AWS_ROLE_ARN: 'arn:aws:iam::1:role/r',
      GOOGLE_APPLICATION_CREDENTIALS: '/gcp.json',
      // Never: their server comes from the encrypted file, or they run commands, or the app set them.
      VAULT_TOKEN: 'canary-vault',
      VAULT_ADDR: 'https://vault',
      AZURE_CLIENT_SECRET: 'canary-azure',
      SOPS_AGE_KEY_CMD: 'cat /etc/shadow',
      SOPS_AGE_KEY_FILE: '/from-env-is-ignored',
      ARGOCD_ENV_SOPS_AGE_KEY_FILE: '/app',
      OP_CONNECT_TOKEN: 'canary-op',
      AVP_TYPE: 'sops',
    },
    new Map([['SOPS_AGE_KEY_FILE', '/keys/age.txt']]),
  )
  expect(env).toEqual({
    PATH: '/usr/bin',
    HOME: '/home/argocd',
    GNUPGHOME: '/gpg',
    AWS_ROLE_ARN: 'arn:aws:iam::1:role/r',
    GOOGLE_APPLICATION_CREDENTIALS: '/gcp.json',
    SOPS_AGE_KEY_FILE: '/keys/age.txt',
  })
})
