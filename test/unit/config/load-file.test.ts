import { settingPrefixes } from '../../../src/backends/registry'
import path from 'node:path'
import { silentLog } from '../../../src/log'
import { loadSettings } from '../../../src/config/load'
import { testdir } from '../../support/testdir'
import { CWD, configIssues, files, load } from './load-doubles'

describe('config file formats', () => {
  test.each([
    ['cfg.yaml', 'avp_type: vault\nAVP_KV_VERSION: 1\nVAULT_SKIP_VERIFY: true\nAVP_X: 1.0\n'],
    ['cfg.yml', 'avp_type: vault\nAVP_KV_VERSION: 1\nVAULT_SKIP_VERIFY: true\nAVP_X: 1.0\n'],
    ['cfg.json', '{"avp_type":"vault","AVP_KV_VERSION":1,"VAULT_SKIP_VERIFY":true,"AVP_X":"1.0"}'],
    [
      'cfg.env',
      '# comment\nexport avp_type=vault\nAVP_KV_VERSION="1"\nVAULT_SKIP_VERIFY=true\nAVP_X=\'1.0\'\n',
    ],
    ['.env', 'avp_type=vault\nAVP_KV_VERSION=1\nVAULT_SKIP_VERIFY=true # yes\nAVP_X=1.0\n'],
  ])('%s: keys are case-insensitive, numbers and booleans become text', async (name, text) => {
    const settings = await load({ configPath: name, readFile: files({ [`${CWD}/${name}`]: text }) })
    expect(settings.get('AVP_TYPE')).toBe('vault')
    expect(settings.get('AVP_KV_VERSION')).toBe('1')
    expect(settings.get('VAULT_SKIP_VERIFY')).toBe('true')
    expect(settings.get('AVP_X')).toBe('1.0')
    expect(settings.sourceOf('AVP_TYPE')).toBe('config file')
  })

  test('reads a real file relative to cwd through node:fs by default', async () => {
    const dir = testdir({ 'conf/avp.yaml': 'AVP_TYPE: file\nAVP_FILE_PATH: secrets.yaml\n' })
    const settings = await loadSettings({
      settingPrefixes: settingPrefixes(),
      env: {},
      cwd: dir,
      configPath: path.join('conf', 'avp.yaml'),
      log: silentLog,
      registerSecret: () => undefined,
    })
    expect(settings.get('AVP_FILE_PATH')).toBe('secrets.yaml')
  })

  test.each([
    ['cfg.toml', 'toml'],
    ['cfg', ''],
    ['cfg.properties', 'properties'],
  ])('unsupported extension: %s', async (name, ext) => {
    expect(await configIssues({ configPath: name, readFile: files({}) })).toEqual([
      `--config-path: unsupported file type "${ext}"; use .yaml, .yml, .json or .env`,
    ])
  })

  test('a missing file is named', async () => {
    expect(await configIssues({ configPath: 'nope.yaml', readFile: files({}) })).toEqual([
      '--config-path: cannot read "nope.yaml": file not found',
    ])
  })

  test('nested values are an issue naming the key, every one reported', async () => {
    const text = 'AVP_TYPE: vault\nVAULT_ADDR:\n  url: x\nAWS_REGION: [a, b]\n'
    const issues = await configIssues({
      configPath: 'c.yaml',
      readFile: files({ [`${CWD}/c.yaml`]: text }),
    })
    expect(issues).toEqual([
      '--config-path: c.yaml: VAULT_ADDR: nested maps and lists are not supported; use a string value',
      '--config-path: c.yaml: AWS_REGION: nested maps and lists are not supported; use a string value',
    ])
  })

  test('two spellings of one key in a file are an issue', async () => {
    const issues = await configIssues({
      configPath: 'c.json',
      readFile: files({ [`${CWD}/c.json`]: '{"AVP_TYPE":"vault","avp_type":"file"}' }),
    })
    expect(issues).toEqual([
      '--config-path: c.json: AVP_TYPE is given more than once (keys are case-insensitive)',
    ])
  })
})

describe('parse errors never echo the file (it holds credentials)', () => {
  const CANARY = 'canary-cfg-7d1f'
  test.each([
    [
      'bad.yaml',
      `VAULT_TOKEN: "${CANARY}\nAVP_TYPE: vault\n`,
      /^--config-path: bad\.yaml: not valid YAML \([A-Z_]+ at line \d+\)$/,
    ],
    [
      'bad2.yaml',
      `AVP_TYPE: vault\n  VAULT_TOKEN: ${CANARY}: x\n`,
      /^--config-path: bad2\.yaml: not valid YAML \([A-Z_]+ at line [12]\)$/,
    ],
    [
      'bad.json',
      `{"AVP_TYPE": "vault",\n "VAULT_TOKEN": ${CANARY}}`,
      /^--config-path: bad\.json: not valid JSON( at line 2)?$/,
    ],
    [
      'bad.env',
      `AVP_TYPE=vault\n${CANARY}\nVAULT_TOKEN="${CANARY}`,
      /^--config-path: bad\.env: line 2: expected KEY=VALUE$/,
    ],
  ])('%s', async (name, text, pattern) => {
    const issues = await configIssues({
      configPath: name,
      readFile: files({ [`${CWD}/${name}`]: text }),
    })
    expect(issues[0]).toMatch(pattern)
    expect(issues.join('\n')).not.toContain(CANARY)
  })
})
