import { ConfigError } from '../../../src/errors'
import { escParamName, readPluginParams } from '../../../src/render/plugin-params'

const NAMES = ['values-files', 'set', 'release-name', 'include-crds']

describe('readPluginParams', () => {
  test('ARGOCD_APP_PARAMETERS as Argo CD marshals it', () => {
    const params = readPluginParams(
      {
        ARGOCD_APP_PARAMETERS: JSON.stringify([
          { name: 'values-files', array: ['values-dev.yaml'] },
          { name: 'set', map: { 'image.tag': 'v1.2.3' } },
          { name: 'release-name', string: 'web' },
          { name: 'empty', array: [], map: {} },
        ]),
      },
      NAMES,
    )
    expect(Object.fromEntries(params)).toEqual({
      'values-files': { array: ['values-dev.yaml'] },
      set: { map: { 'image.tag': 'v1.2.3' } },
      'release-name': { string: 'web' },
      empty: { array: [], map: {} },
    })
  })

  test.each([undefined, '', 'null', ' null ', '[]'])('%j means no parameters', (value) => {
    expect(readPluginParams({ ARGOCD_APP_PARAMETERS: value }, NAMES).size).toBe(0)
  })

  test('PARAM_* fill in names the JSON does not list (a run by hand)', () => {
    const params = readPluginParams(
      {
        ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'release-name', string: 'from-json' }]),
        PARAM_RELEASE_NAME: 'ignored: the JSON wins',
        PARAM_VALUES_FILES_0: 'a.yaml',
        PARAM_VALUES_FILES_1: 'b.yaml',
        PARAM_VALUES_FILES_3: 'not contiguous',
        PARAM_INCLUDE_CRDS: 'false',
        PARAM_SET_IMAGE_TAG: 'maps need the JSON',
      },
      NAMES,
    )
    expect(Object.fromEntries(params)).toEqual({
      'release-name': { string: 'from-json' },
      'values-files': { array: ['a.yaml', 'b.yaml'] },
      'include-crds': { string: 'false' },
    })
  })

  test('invalid JSON never echoes the text', () => {
    const error = (() => {
      try {
        readPluginParams({ ARGOCD_APP_PARAMETERS: '[{"name": canary-secret' }, NAMES)
      } catch (e) {
        return e
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).issues).toEqual(['ARGOCD_APP_PARAMETERS is not valid JSON'])
  })

  test('every malformed item is reported', () => {
    expect(() =>
      readPluginParams(
        {
          ARGOCD_APP_PARAMETERS: JSON.stringify([
            'x',
            { string: 'no name' },
            { name: 'a', string: 1 },
            { name: 'b', array: [1] },
            { name: 'c', map: { k: 2 } },
            { name: 'ok', string: 'fine' },
          ]),
        },
        NAMES,
      ),
    ).toThrow(
      new ConfigError([
        'ARGOCD_APP_PARAMETERS[0]: not an object',
        'ARGOCD_APP_PARAMETERS[1]: has no "name"',
        'ARGOCD_APP_PARAMETERS[2]: "a": "string" is not a string',
        'ARGOCD_APP_PARAMETERS[3]: "b": "array" is not an array of strings',
        'ARGOCD_APP_PARAMETERS[4]: "c": "map" values must be strings',
      ]),
    )
    expect(() => readPluginParams({ ARGOCD_APP_PARAMETERS: '{}' }, NAMES)).toThrow(
      'ARGOCD_APP_PARAMETERS is not a JSON array',
    )
  })

  test.each([
    ['values-files', 'VALUES_FILES'],
    ['image.tag', 'IMAGE_TAG'],
    ['a-b_c.D9', 'A_B_C_D9'],
  ])('ESC(%s) = %s', (name, esc) => {
    expect(escParamName(name)).toBe(esc)
  })
})
