import { GoYamlReader } from '../support/goyaml-reader'
import { baseEnv, runCli } from '../support/run-cli'
import { testdir } from '../support/testdir'
import { toolsPath } from '../support/tools'

// The attack values of the byte-exact property test (test/component), through
// the built CLI and the file backend, read back by go-yaml v2 as Argo CD does.
// Each test runs the CLI; a loaded CI machine needs more than jest's 5 s.
jest.setTimeout(30_000)

const VALUES = {
  ls: 'x\u2028metadata:\u2028 namespace:\u2028  kube-system',
  ps: 'x\u2029kind: ClusterRoleBinding',
  nel: 'a\u0085b',
  ctl: 'a\u007f\u0080\u009f\ufeff\ufffe\r\n\tb',
}

const MANIFEST = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: app',
  '  namespace: team-a',
  '  annotations:',
  '    avp.kubernetes.io/path: app',
  'data:',
  ...Object.keys(VALUES).map((key) => `  ${key}: <${key}>`),
  '',
].join('\n')

describe('the CLI writes hostile values byte-exact', () => {
  let reader: GoYamlReader

  beforeAll(() => {
    reader = new GoYamlReader()
  })

  afterAll(async () => {
    await reader.stop()
  })

  test.each(['yaml', 'json'])('-o %s', async (format) => {
    const dir = testdir({
      'app.yaml': MANIFEST,
      'secrets.json': JSON.stringify({ app: VALUES }),
    })
    const result = await runCli(['generate', '-o', format, `${dir}/app.yaml`], {
      env: baseEnv({
        PATH: toolsPath(),
        AVP_TYPE: 'file',
        AVP_FILE_PATH: `${dir}/secrets.json`,
      }),
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const read = await reader.read(result.stdout)
    expect(read).toEqual({
      docs: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: 'app',
            namespace: 'team-a',
            annotations: { 'avp.kubernetes.io/path': 'app' },
          },
          data: VALUES,
        },
      ],
    })
  })
})
