import { describeValue, isCredentialKey } from '../../../src/config/describe-value'

describe('isCredentialKey', () => {
  test.each([
    'VAULT_TOKEN',
    'AVP_SECRET_ID',
    'AVP_ROLE_ID',
    'AVP_PASSWORD',
    'AVP_GITHUB_TOKEN',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_ACCESS_KEY_ID',
    'AVP_IBM_API_KEY',
    'AVP_YCL_PRIVATE_KEY',
    'avp_delinea_password',
    'SOPS_AGE_KEY',
  ])('%s is a credential', (key) => {
    expect(isCredentialKey(key)).toBe(true)
  })

  test.each([
    'AVP_TYPE',
    'VAULT_ADDR',
    'AVP_USERNAME',
    'AVP_K8S_TOKEN_PATH',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AVP_TOKEN_CACHE_DIR',
    'VAULT_CLIENT_KEY',
    'AVP_PATH_VALIDATION',
    'MONKEY_BUSINESS',
    'AWS_REGION',
  ])('%s is not a credential', (key) => {
    expect(isCredentialKey(key)).toBe(false)
  })
})

describe('describeValue', () => {
  test.each([
    ['VAULT_TOKEN', 'hvs.canary-123', '(set, 14 chars)'],
    ['AVP_AUTH_TYPE', 'aprole', '"aprole"'],
    ['AVP_AUTH_TYPE', undefined, '(unset)'],
    ['AVP_AUTH_TYPE', '', '(unset)'],
    ['AVP_TYPE', 'a"b', '"a\\"b"'],
    ['AVP_TYPE', 'x'.repeat(100), JSON.stringify(`${'x'.repeat(80)}…`)],
  ])('%s=%j', (key, value, shown) => {
    expect(describeValue(key, value)).toBe(shown)
  })
})
