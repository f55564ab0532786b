// examples/argocd: the component builds offline against a stub repo-server
// and yields a sidecar wired as docs/design/argocd-cmp-contract.md requires; every example YAML
// parses; the example Applications point at existing apps and known parameters.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { parse, parseAllDocuments } from 'yaml'
import { parseScopePolicy } from '../../src/config/scope-policy'
import { pathScopeFor } from '../../src/pipeline/path-scope'
import { RENDER_PARAM_NAMES } from '../../src/render/param-names'
import { testdir } from '../support/testdir'
import { requireTool } from '../support/tools'

const EXAMPLES = path.resolve(__dirname, '../../examples')
const ARGOCD = path.join(EXAMPLES, 'argocd')
const kustomize = requireTool('kustomize')

/** Argo CD's repo-server as far as the patch cares: its own container and the shared volumes. */
const STUB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: argocd-repo-server
spec:
  selector: {matchLabels: {app.kubernetes.io/name: argocd-repo-server}}
  template:
    metadata: {labels: {app.kubernetes.io/name: argocd-repo-server}}
    spec:
      serviceAccountName: argocd-repo-server
      automountServiceAccountToken: false
      containers:
        - name: argocd-repo-server
          image: quay.io/argoproj/argocd:v3.5.1
      volumes:
        - {name: var-files, emptyDir: {}}
        - {name: plugins, emptyDir: {}}
`

function yamlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f) && !f.split(path.sep).includes('templates'))
    .map((f) => path.join(dir, f))
}

interface Container {
  name: string
  image: string
  command?: string[]
  securityContext?: Record<string, unknown>
  envFrom?: { secretRef: { name: string } }[]
  volumeMounts?: { mountPath: string; name: string }[]
}

describe('examples/argocd component', () => {
  test('adds the sidecar to a stub repo-server, offline', async () => {
    const dir = testdir({ 'stub.yaml': STUB })
    fs.writeFileSync(
      path.join(dir, 'kustomization.yaml'),
      [
        'namespace: argocd',
        'resources: [stub.yaml]',
        `components: [${path.relative(dir, ARGOCD)}]`,
        'images: [{name: argocd-secret-plugin, newName: registry.example.com/asp, newTag: "9.9.9"}]',
      ].join('\n'),
    )
    const { stdout } = await promisify(execFile)(kustomize, ['build', dir])
    const docs = parseAllDocuments(stdout).map((d) => d.toJS() as Record<string, unknown>)
    expect(docs.map((d) => d['kind']).sort()).toEqual(['Deployment', 'Role', 'RoleBinding'])
    const deployment = docs.find((d) => d['kind'] === 'Deployment') as {
      spec: { template: { spec: Record<string, unknown> } }
    }
    const pod = deployment.spec.template.spec
    expect(pod['automountServiceAccountToken']).toBe(true)
    const containers = pod['containers'] as Container[]
    expect(containers.map((c) => c.name).sort()).toEqual([
      'argocd-repo-server',
      'argocd-secret-plugin',
    ])
    const sidecar = containers.find((c) => c.name === 'argocd-secret-plugin')
    expect(sidecar?.image).toBe('registry.example.com/asp:9.9.9')
    expect(sidecar?.command).toEqual(['/var/run/argocd/argocd-cmp-server'])
    expect(sidecar?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999 })
    expect(sidecar?.envFrom).toEqual([{ secretRef: { name: 'argocd-secret-plugin-config' } }])
    expect(sidecar?.volumeMounts).toEqual([
      { mountPath: '/var/run/argocd', name: 'var-files' },
      { mountPath: '/home/argocd/cmp-server/plugins', name: 'plugins' },
      { mountPath: '/tmp', name: 'argocd-secret-plugin-tmp' },
    ])
    const volumes = (pod['volumes'] as { name: string }[]).map((v) => v.name).sort()
    expect(volumes).toEqual(['argocd-secret-plugin-tmp', 'plugins', 'var-files'])
    const role = docs.find((d) => d['kind'] === 'Role') as { rules: unknown[] }
    expect(role.rules).toEqual([
      {
        apiGroups: [''],
        resources: ['secrets'],
        resourceNames: ['argocd-secret-plugin-config'],
        verbs: ['get'],
      },
    ])
    const binding = docs.find((d) => d['kind'] === 'RoleBinding') as { subjects: unknown[] }
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'argocd-repo-server', namespace: 'argocd' },
    ])
  })

  test('the install kustomization uses the component and a pinned Argo CD', () => {
    const install = parse(
      fs.readFileSync(path.join(ARGOCD, 'install/kustomization.yaml'), 'utf8'),
    ) as {
      resources: string[]
      components: string[]
      images: { name: string }[]
    }
    expect(install.components).toEqual(['..'])
    expect(install.resources[0]).toMatch(/argo-cd\/v\d+\.\d+\.\d+\/manifests\/install\.yaml$/)
    expect(install.images.map((i) => i.name)).toEqual(['argocd-secret-plugin'])
  })
})

describe('examples/argocd/refresh', () => {
  interface Rule {
    apiGroups: string[]
    resources: string[]
    verbs: string[]
  }

  test('a CronJob running refresh with its own service account and least-privilege RBAC', async () => {
    const { stdout } = await promisify(execFile)(kustomize, ['build', path.join(ARGOCD, 'refresh')])
    const docs = parseAllDocuments(stdout).map((d) => d.toJS() as Record<string, unknown>)
    const byKind = (kind: string) => docs.filter((d) => d['kind'] === kind)
    expect(docs.map((d) => d['kind']).sort()).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'CronJob',
      'Role',
      'RoleBinding',
      'ServiceAccount',
    ])
    const cron = byKind('CronJob')[0] as {
      metadata: { namespace: string }
      spec: { jobTemplate: { spec: { template: { spec: Record<string, unknown> } } } }
    }
    expect(cron.metadata.namespace).toBe('argocd')
    const pod = cron.spec.jobTemplate.spec.template.spec
    expect(pod['serviceAccountName']).toBe('argocd-secret-plugin-refresh')
    const [container] = pod['containers'] as Container[]
    expect(container?.command).toEqual(['argocd-secret-plugin', 'refresh', '--namespace', 'argocd'])
    expect(container?.securityContext).toMatchObject({ runAsNonRoot: true })
    // Applications: list, get and patch in argocd only; live objects: get only.
    const role = byKind('Role')[0] as { metadata: { namespace: string }; rules: Rule[] }
    expect(role.metadata.namespace).toBe('argocd')
    expect(role.rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['applications'], verbs: ['list', 'get', 'patch'] },
    ])
    const clusterRole = byKind('ClusterRole')[0] as { rules: Rule[] }
    for (const rule of clusterRole.rules) {
      expect(rule.verbs).toEqual(['get'])
      expect(rule.resources).not.toContain('*')
      expect(rule.apiGroups).not.toContain('*')
    }
    for (const binding of [...byKind('RoleBinding'), ...byKind('ClusterRoleBinding')]) {
      expect((binding as { subjects: unknown[] }).subjects).toEqual([
        { kind: 'ServiceAccount', name: 'argocd-secret-plugin-refresh', namespace: 'argocd' },
      ])
    }
  })
})

describe('example files', () => {
  test('every example YAML parses (chart templates aside)', () => {
    const files = ['argocd', 'app-plain', 'app-helm', 'app-kustomize'].flatMap((d) =>
      yamlFiles(path.join(EXAMPLES, d)),
    )
    expect(files.length).toBeGreaterThan(20)
    for (const file of files) {
      for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
        expect([file, doc.errors]).toEqual([file, []])
      }
    }
  })

  test.each(['app-plain.yaml', 'app-helm.yaml', 'app-kustomize.yaml'])(
    'applications/%s names the plugin, an existing path and known parameters',
    (file) => {
      const app = parse(fs.readFileSync(path.join(ARGOCD, 'applications', file), 'utf8')) as {
        kind: string
        spec: {
          source: { path: string; plugin: { name: string; parameters?: { name: string }[] } }
        }
      }
      expect(app.kind).toBe('Application')
      expect(app.spec.source.plugin.name).toBe('argocd-secret-plugin')
      expect(fs.statSync(path.join(EXAMPLES, '..', app.spec.source.path)).isDirectory()).toBe(true)
      for (const p of app.spec.source.plugin.parameters ?? []) {
        expect(RENDER_PARAM_NAMES).toContain(p.name)
      }
    },
  )
})

describe('scope-policy-patch.yaml', () => {
  test('patches the sidecar with a policy the plugin accepts, and it scopes as its comments say', async () => {
    // kustomize reads a patch only from below the kustomization: a copy, as an install would vendor it.
    const dir = testdir({
      'stub.yaml': STUB,
      'scope-policy-patch.yaml': fs.readFileSync(
        path.join(ARGOCD, 'scope-policy-patch.yaml'),
        'utf8',
      ),
    })
    fs.writeFileSync(
      path.join(dir, 'kustomization.yaml'),
      [
        'resources: [stub.yaml]',
        `components: [${path.relative(dir, ARGOCD)}]`,
        'patches: [{path: scope-policy-patch.yaml}]',
      ].join('\n'),
    )
    const { stdout } = await promisify(execFile)(kustomize, ['build', dir])
    const deployment = parseAllDocuments(stdout)
      .map(
        (d) =>
          d.toJS() as { kind: string; spec: { template: { spec: { containers: Container[] } } } },
      )
      .find((d) => d.kind === 'Deployment')
    const sidecar = deployment?.spec.template.spec.containers.find(
      (c) => c.name === 'argocd-secret-plugin',
    ) as (Container & { env?: { name: string; value: string }[] }) | undefined
    // The component's own wiring survives the patch.
    expect(sidecar?.envFrom).toEqual([{ secretRef: { name: 'argocd-secret-plugin-config' } }])
    const text = sidecar?.env?.find((e) => e.name === 'AVP_SCOPE_POLICY')?.value ?? ''
    const parsed = parseScopePolicy(text, 'AVP_SCOPE_POLICY')
    if (!parsed.ok) throw new Error(parsed.failures.join('; '))
    const scope = pathScopeFor(
      parsed.policy,
      { project: 'team-a', namespace: 'shop-prod' },
      'vault',
    )
    expect(
      ['secret/data/team-a/db', 'secret/data/team-b/db', 'secret/data/shared/prod/ca'].filter(
        (p) => scope.outside(p) === undefined,
      ),
    ).toEqual(['secret/data/team-a/db', 'secret/data/shared/prod/ca'])
  })
})
