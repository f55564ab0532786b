import { parseHelmArgs, splitWords } from '../../../src/render/helm-args'

describe('splitWords', () => {
  test.each([
    ['-f a.yaml  -f b.yaml', ['-f', 'a.yaml', '-f', 'b.yaml']],
    [`--set 'a=x y' --set "b=\\"q\\" \\$HOME"`, ['--set', 'a=x y', '--set', 'b="q" $HOME']],
    ['--set a=x\\ y', ['--set', 'a=x y']],
    ["--set a=''", ['--set', 'a=']],
    ['  \n\t ', []],
    ['--set a=$HOME', ['--set', 'a=$HOME']], // Argo CD already substituted; a leftover $ is literal
  ])('%j', (text, words) => {
    expect(splitWords(text)).toEqual(words)
  })

  test.each([
    '-f <(echo x)',
    '--set a=1; rm -rf /',
    '--set a=1 | tee',
    '--set a=$(id)',
    '--set "a=$(id)"',
    '--set a=`id`',
    '-f a.yaml && true',
    '--set a=1 > /tmp/x',
  ])('shell syntax is refused: %j', (text) => {
    expect(splitWords(text)).toMatch(/^shell syntax .* is not supported/)
  })

  test('an unterminated quote', () => {
    expect(splitWords('--set "a=b')).toBe('unterminated quote')
  })
})

describe("parseHelmArgs (AVP users' ARGOCD_ENV_HELM_ARGS, safe subset)", () => {
  test('the accepted flags', () => {
    expect(
      parseHelmArgs(
        '-f values-dev.yaml --values=a.yaml,b.yaml --set image.tag=v1,replicas=2 --set-string=x=007 ' +
          '--include-crds --skip-tests --skip-crds --no-hooks --skip-schema-validation ' +
          '-n team --kube-version 1.29.0 -a monitoring.coreos.com/v1 --api-versions=x/v1,y/v1',
      ),
    ).toEqual({
      valueFiles: ['values-dev.yaml', 'a.yaml', 'b.yaml'],
      set: ['image.tag=v1,replicas=2'],
      setString: ['x=007'],
      flags: [
        '--include-crds',
        '--skip-tests',
        '--skip-crds',
        '--no-hooks',
        '--skip-schema-validation',
      ],
      namespace: 'team',
      kubeVersion: '1.29.0',
      apiVersions: ['monitoring.coreos.com/v1', 'x/v1', 'y/v1'],
    })
  })

  test.each([
    ['--post-renderer /bin/evil', '--post-renderer'],
    ['--post-renderer=/bin/evil', '--post-renderer'],
    ['--set-file key=/etc/passwd', '--set-file'],
    ['--repo https://evil', '--repo'],
    ['--kubeconfig /x', '--kubeconfig'],
    ['--output-dir /x', '--output-dir'],
    ['--include-crds=false', '--include-crds'],
    ['-fvalues.yaml', '-fvalues'],
  ])('%j is refused, naming only the flag', (text, flag) => {
    const parsed = parseHelmArgs(text)
    expect('failures' in parsed).toBe(true)
    if (!('failures' in parsed)) return
    expect(parsed.failures[0]).toMatch(
      new RegExp(`^ARGOCD_ENV_HELM_ARGS: ${flag} is not allowed \\(allowed: -f, --values, `),
    )
    expect(parsed.failures.join(' ')).not.toMatch(/evil|passwd/)
  })

  test('positional arguments and missing values are refused', () => {
    expect(parseHelmArgs('. --set a=b')).toEqual({
      failures: [
        'ARGOCD_ENV_HELM_ARGS: positional arguments are not allowed (the chart is the app directory)',
      ],
    })
    expect(parseHelmArgs('-f')).toEqual({ failures: ['ARGOCD_ENV_HELM_ARGS: -f needs a value'] })
    expect(parseHelmArgs('--set=')).toEqual({
      failures: ['ARGOCD_ENV_HELM_ARGS: --set needs a value'],
    })
  })
})
