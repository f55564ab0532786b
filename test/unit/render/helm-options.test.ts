import { ConfigError } from '../../../src/errors'
import { appNameOf, envIgnoringCase, readHelmOptions } from '../../../src/render/helm-options'
import { readPluginParams } from '../../../src/render/plugin-params'
import { RENDER_PARAM_NAMES } from '../../../src/render/param-names'

type Env = Record<string, string | undefined>
const options = (env: Env) => readHelmOptions(env, readPluginParams(env, RENDER_PARAM_NAMES))
const params = (list: unknown[]): string => JSON.stringify(list)

describe('appNameOf (ARGOCD_APP_NAME)', () => {
  test.each([
    ['web', 'web'],
    ['team-a_web', 'web'], // an Application outside the control-plane namespace
    ['a_b_c', 'b_c'],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j', (value, name) => {
    expect(appNameOf(value)).toBe(name)
  })
})

describe('readHelmOptions', () => {
  test('defaults: release from the app name, namespace and KUBE_* from the env, CRDs included', () => {
    expect(
      options({
        ARGOCD_APP_NAME: 'argocd-apps_web',
        ARGOCD_APP_NAMESPACE: 'prod',
        KUBE_VERSION: '1.29.3',
        KUBE_API_VERSIONS: 'apps/v1,apps/v1/Deployment,v1',
        ARGOCD_APP_PARAMETERS: 'null',
      }),
    ).toEqual({
      releaseName: 'web',
      namespace: 'prod',
      kubeVersion: '1.29.3',
      apiVersions: ['apps/v1', 'apps/v1/Deployment', 'v1'],
      valueFiles: [],
      inlineValues: [],
      setMap: {},
      setStringMap: {},
      setRaw: [],
      setStringRaw: [],
      flags: ['--include-crds'],
      ignoreMissingValueFiles: false,
      resolveValuesPlaceholders: false,
    })
  })

  test('empty variables are unset; no app name → helm\'s own "release-name"', () => {
    const o = options({
      ARGOCD_APP_NAME: '',
      ARGOCD_APP_NAMESPACE: '',
      KUBE_VERSION: '',
      KUBE_API_VERSIONS: '',
    })
    expect(o.releaseName).toBe('release-name')
    expect(o.namespace).toBeUndefined()
    expect(o.kubeVersion).toBeUndefined()
    expect(o.apiVersions).toEqual([])
  })

  test('parameters, then AVP-style env: order of value files and inline values', () => {
    const o = options({
      ARGOCD_APP_NAME: 'web',
      ARGOCD_APP_NAMESPACE: 'prod',
      ARGOCD_ENV_helm_args: '-f legacy.yaml -n other --set a=1 --skip-tests',
      ARGOCD_ENV_HELM_VALUES: 'x: 1',
      ARGOCD_APP_PARAMETERS: params([
        { name: 'values-files', array: ['values-prod.yaml'] },
        { name: 'values', string: 'y: 2' },
        { name: 'set', map: { 'image.tag': 'v2' } },
        { name: 'set-string', map: { code: '007' } },
        { name: 'release-name', string: 'custom' },
        { name: 'include-crds', string: 'FALSE' },
        { name: 'ignore-missing-value-files', string: 'true' },
        { name: 'resolve-values-placeholders', string: 'True' },
      ]),
    })
    expect(o).toMatchObject({
      releaseName: 'custom',
      namespace: 'other', // HELM_ARGS' -n comes after ARGOCD_APP_NAMESPACE, as in AVP's command line
      valueFiles: [
        { value: 'legacy.yaml', origin: 'ARGOCD_ENV_HELM_ARGS' },
        { value: 'values-prod.yaml', origin: 'parameter values-files' },
      ],
      inlineValues: [
        { value: 'x: 1', origin: 'ARGOCD_ENV_HELM_VALUES' },
        { value: 'y: 2', origin: 'parameter values' },
      ],
      setMap: { 'image.tag': 'v2' },
      setStringMap: { code: '007' },
      setRaw: ['a=1'],
      flags: ['--skip-tests'],
      ignoreMissingValueFiles: true,
      resolveValuesPlaceholders: true,
    })
  })

  test('a single string for values-files is one file', () => {
    const o = options({
      ARGOCD_APP_PARAMETERS: params([{ name: 'values-files', string: 'v.yaml' }]),
    })
    expect(o.valueFiles).toEqual([{ value: 'v.yaml', origin: 'parameter values-files' }])
  })

  test('every problem at once', () => {
    let error: unknown
    try {
      options({
        ARGOCD_APP_NAME: 'x'.repeat(54),
        KUBE_VERSION: 'latest; rm',
        ARGOCD_ENV_HELM_ARGS: '--post-renderer x',
        ARGOCD_APP_PARAMETERS: params([
          { name: 'skip-tests', string: 'yes' },
          { name: 'set', string: 'a=b' },
          { name: 'values-files', map: { a: 'b' } },
          { name: 'values', array: ['x'] },
          { name: 'set-string', map: { '': 'x' } },
        ]),
      })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).issues).toEqual([
      expect.stringMatching(/^ARGOCD_ENV_HELM_ARGS: --post-renderer is not allowed/),
      expect.stringMatching(/^ARGOCD_APP_NAME: "x+" is not a valid Helm release name/),
      'KUBE_VERSION / --kube-version "latest; rm" is not a version',
      'plugin parameter "values" must be a string',
      'plugin parameter "set" must be a map',
      'plugin parameter "set-string": key "" must not be empty or contain "=" or ","',
      'plugin parameter "skip-tests" must be true or false',
      'plugin parameter "values-files" must be an array',
    ])
  })

  test('a release name that could pass for a flag is refused', () => {
    expect(() =>
      options({
        ARGOCD_APP_PARAMETERS: params([{ name: 'release-name', string: '--post-renderer=x' }]),
      }),
    ).toThrow(/parameter release-name: "--post-renderer=x" is not a valid Helm release name/)
  })
})

describe('envIgnoringCase', () => {
  test('the exact name wins, then any spelling (AVP docs used helm_args)', () => {
    expect(
      envIgnoringCase(
        { ARGOCD_ENV_HELM_ARGS: 'a', ARGOCD_ENV_helm_args: 'b' },
        'ARGOCD_ENV_HELM_ARGS',
      ),
    ).toBe('a')
    expect(envIgnoringCase({ ARGOCD_ENV_helm_args: 'b' }, 'ARGOCD_ENV_HELM_ARGS')).toBe('b')
    expect(envIgnoringCase({}, 'ARGOCD_ENV_HELM_ARGS')).toBeUndefined()
  })
})
