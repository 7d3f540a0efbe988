/**
 * The Supervisor API through the real kubectl, against `pacific serve` on real ports: reads with
 * Tables and selectors, describe with events, a watch that sees a push, discovery and explain,
 * diff and server dry runs answered by pacific's plan, writes refused with the Git path, and the
 * NamespacePolicy roles (admin, edit, view, another tenant).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepoFrom, startDaemonProcess, stopDaemonProcess, waitFor, type DaemonProcess } from '../support/daemon-process.js';
import { kubectlFor, kubectlMissing, type Kubectl } from '../support/kubectl.js';
import { git } from '../support/git.js';
import { tempDir } from '../support/temp.js';

const PLATFORM = `apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: team-a}
spec:
  hard: {limits.cpu: "12", limits.memory: 64Gi}
---
apiVersion: pacific.dev/v1alpha1
kind: NamespacePolicy
metadata: {name: policy, namespace: team-a}
spec:
  permissions:
    - {subject: {kind: Group, name: devs@vsphere.local}, role: edit}
    - {subject: {kind: Group, name: auditors@vsphere.local}, role: view}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-b}
---
apiVersion: pacific.dev/v1alpha1
kind: NamespacePolicy
metadata: {name: policy, namespace: team-b}
spec:
  permissions:
    - {subject: {kind: User, name: bob@vsphere.local}, role: owner}
`;

const vm = (name: string, tier: string, extra = '') => `apiVersion: vmoperator.vmware.com/v1alpha3
kind: VirtualMachine
metadata:
  name: ${name}
  labels: {tier: ${tier}}
spec:
  className: best-effort-small
  imageName: ubuntu-22.04-cloudimg
  storageClass: vsan-default-storage-policy
  powerState: PoweredOn
${extra}`;

const TEAM_A = {
  'namespaces/team-a/web.yaml': `${vm('web-1', 'web')}---\n${vm('web-2', 'web')}---\n${vm('db-1', 'db')}`,
  'namespaces/team-a/app.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
        - {name: web, image: shop:1, resources: {limits: {cpu: 500m, memory: 512Mi}}}
---
apiVersion: v1
kind: Service
metadata: {name: shop}
spec:
  selector: {app: shop}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 10Gi}}
---
apiVersion: v1
kind: Secret
metadata: {name: db-password}
stringData: {password: s3cret-value}
`,
  'namespaces/team-b/vm.yaml': vm('agent-1', 'ci'),
};

let tmp: ReturnType<typeof tempDir>;
let daemon: DaemonProcess;
let work: string;
let admin: Kubectl;
let dev: Kubectl;
let auditor: Kubectl;
let bob: Kubectl;

function push(path: string, content: string, message: string): void {
  writeFileSync(join(work, path), content);
  git(work, 'commit', '-qam', message);
  git(work, 'push', '-q', 'origin', 'main');
}

describe.skipIf(!!kubectlMissing)('kubectl against pacific', () => {
  beforeAll(async () => {
    tmp = tempDir('pacific-kubectl-');
    const bare = initRepoFrom(tmp.dir, { 'platform/namespaces.yaml': PLATFORM, ...TEAM_A });
    const state = join(tmp.dir, 'state');
    daemon = await startDaemonProcess(['--repo', bare, '--state', state, '--resync', '1h']);
    await waitFor(async () => ((await fetch(`${daemon.url}/readyz`)).status === 200 ? true : undefined), 'ready');
    admin = kubectlFor(tmp.dir, 'admin', state, daemon.api!);
    dev = kubectlFor(tmp.dir, 'dev', state, daemon.api!, ['--user', 'carol@vsphere.local', '--group', 'devs@vsphere.local']);
    auditor = kubectlFor(tmp.dir, 'auditor', state, daemon.api!, ['--user', 'dan@vsphere.local', '--group', 'auditors@vsphere.local']);
    bob = kubectlFor(tmp.dir, 'bob', state, daemon.api!, ['--user', 'bob@vsphere.local']);
    work = join(tmp.dir, 'work');
    git(tmp.dir, 'clone', '-q', bare, work);
    // The pods start (Running) a moment after the first pass.
    await waitFor(() => (admin(['get', 'pods', '-n', 'team-a']).stdout.match(/Running/g)?.length === 2 ? true : undefined), 'pods running');
  }, 120_000);

  afterAll(async () => {
    if (daemon) await stopDaemonProcess(daemon);
    tmp?.cleanup();
  });

  it('lists every kind across namespaces, with the printer columns', () => {
    const r = admin(['get', 'vm,tkc,pods,pvc,svc,deploy', '-A']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/NAMESPACE\s+NAME\s+POWER-STATE\s+AGE/);
    for (const name of ['virtualmachine.vmoperator.vmware.com/web-1', 'virtualmachine.vmoperator.vmware.com/agent-1', 'persistentvolumeclaim/data', 'service/shop', 'deployment.apps/shop']) expect(r.stdout).toContain(name);
    expect(r.stdout).toMatch(/pod\/shop-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0/);
    expect(r.stdout).toMatch(/deployment.apps\/shop\s+2\/2\s+2\s+2/);
    const wide = admin(['get', 'vm', '-n', 'team-a', '-o', 'wide']);
    expect(wide.stdout).toMatch(/NAME\s+POWER-STATE\s+CLASS\s+IMAGE\s+PRIMARY-IP4\s+AGE/);
    expect(wide.stdout).toMatch(/web-1\s+PoweredOn\s+best-effort-small\s+ubuntu-22.04-cloudimg\s+10\.244\.\d+\.\d+\s+\d+s/);
  });

  it('serves objects with stable metadata, provenance and owner references', () => {
    const web = JSON.parse(admin(['get', 'vm', '-n', 'team-a', 'web-1', '-o', 'json']).stdout) as { apiVersion: string; metadata: Record<string, unknown>; status: Record<string, unknown> };
    expect(web.apiVersion).toBe('vmoperator.vmware.com/v1alpha6');
    expect(web.metadata['uid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(web.metadata['generation']).toBe(1);
    const source = JSON.parse((web.metadata['annotations'] as Record<string, string>)['pacific.dev/source']!) as Record<string, unknown>;
    expect(source).toMatchObject({ branch: 'main', file: 'namespaces/team-a/web.yaml', line: 1 });
    expect(web.status['nodeName']).toMatch(/^esx-0\d\.pacific\.local$/);
    const yaml = admin(['get', 'virtualmachines.v1alpha3.vmoperator.vmware.com', '-n', 'team-a', 'web-1', '-o', 'yaml']).stdout;
    expect(yaml).toContain('apiVersion: vmoperator.vmware.com/v1alpha3');
    expect(yaml).toMatch(/\n {2}host: esx-0\d/);
    const pods = JSON.parse(admin(['get', 'pods', '-n', 'team-a', '-o', 'json']).stdout) as { items: { metadata: { ownerReferences: { kind: string; name: string; uid: string }[] }; spec: { nodeName?: string } }[] };
    const rs = JSON.parse(admin(['get', 'rs', '-n', 'team-a', '-o', 'json']).stdout) as { items: { metadata: { uid: string; name: string; ownerReferences: { kind: string; name: string }[] } }[] };
    expect(rs.items[0]!.metadata.ownerReferences[0]).toMatchObject({ kind: 'Deployment', name: 'shop' });
    expect(pods.items[0]!.metadata.ownerReferences[0]).toMatchObject({ kind: 'ReplicaSet', name: rs.items[0]!.metadata.name, uid: rs.items[0]!.metadata.uid });
  });

  it('filters by label and field selectors on the server', () => {
    const r = admin(['get', 'vm', '-A', '-l', 'tier=web', '--field-selector', 'metadata.name!=web-2', '-o', 'name']);
    expect(r.stdout.trim().split('\n')).toEqual(['virtualmachine.vmoperator.vmware.com/web-1']);
    const notIn = admin(['get', 'vm', '-A', '-l', 'tier notin (web)', '-o', 'name']);
    expect(notIn.stdout.trim().split('\n').sort()).toEqual(['virtualmachine.vmoperator.vmware.com/agent-1', 'virtualmachine.vmoperator.vmware.com/db-1']);
    const running = admin(['get', 'pods', '-n', 'team-a', '--field-selector', 'status.phase=Running', '-o', 'name']);
    expect(running.stdout.trim().split('\n')).toHaveLength(2);
    const pods = JSON.parse(admin(['get', 'pods', '-n', 'team-a', '-o', 'json']).stdout) as { items: { spec: { nodeName: string } }[] };
    const node = pods.items[0]!.spec.nodeName;
    expect(node).toMatch(/^esx-0\d\.pacific\.local$/);
    expect(admin(['get', 'pods', '-A', '--field-selector', `spec.nodeName=${node}`, '-o', 'name']).stdout).toContain('pod/shop-');
    const bad = admin(['get', 'vm', '--field-selector', 'spec.className=x']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('is not a known field selector');
  });

  it('describes a VM with its events', () => {
    const r = admin(['describe', 'vm', '-n', 'team-a', 'web-1']);
    expect(r.stdout).toMatch(/Events:\s*\n\s+Type\s+Reason\s+Age\s+From\s+Message/);
    expect(r.stdout).toMatch(/Normal\s+Created\s+\S+\s+pacific\s+created on esx-0\d\.pacific\.local/);
    const v1 = JSON.parse(admin(['get', 'events.v1.events.k8s.io', '-n', 'team-a', '--field-selector', 'involvedObject.name=web-1', '-o', 'json']).stdout) as { items: { regarding: { name: string; uid: string }; note: string }[] };
    expect(v1.items[0]).toMatchObject({ regarding: { name: 'web-1', uid: expect.stringMatching(/^[0-9a-f-]{36}$/) }, note: expect.stringMatching(/^created on esx-0\d/) });
  });

  it('discovers resources with their short names and explains their fields', () => {
    const r = admin(['api-resources']);
    for (const line of [/virtualmachines\s+vm\s+vmoperator.vmware.com\/v1alpha6\s+true\s+VirtualMachine/, /virtualmachineclasses\s+vmclass\s/, /virtualmachineimages\s+vmi,vmimage\s/, /clustervirtualmachineimages\s+cvmi,/, /tanzukubernetesclusters\s+tkc\s/, /clusters\s+cl\s+cluster.x-k8s.io\/v1beta1/, /nodes\s+no\s+v1\s+false\s+Node/]) {
      expect(r.stdout).toMatch(line);
    }
    const explain = admin(['explain', 'virtualmachine.spec.className']);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toMatch(/KIND:\s+VirtualMachine/);
    expect(explain.stdout).toMatch(/FIELD:\s+className <string>/);
  });

  it('diff exits 0 for the applied manifest and 1 for a change', () => {
    const file = join(work, 'namespaces/team-a/web.yaml');
    // A tenant folder's manifests name no namespace: kubectl takes it from -n (or the team-a context).
    expect(admin(['diff', '-n', 'team-a', '-f', file]).code).toBe(0);
    const app = admin(['diff', '-n', 'team-a', '-f', join(work, 'namespaces/team-a/app.yaml')]);
    expect(app.stdout + app.stderr).toBe('');
    expect(app.code).toBe(0);
    writeFileSync(file, TEAM_A['namespaces/team-a/web.yaml'].replace('name: web-2\n  labels: {tier: web}\nspec:\n  className: best-effort-small', 'name: web-2\n  labels: {tier: web}\nspec:\n  className: best-effort-medium'));
    const changed = admin(['diff', '-n', 'team-a', '-f', file]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/-\s+className: best-effort-small\n\+\s+className: best-effort-medium/);
    expect(changed.stdout).toMatch(/-\s+generation: 1\n\+\s+generation: 2/);
    // A field removed from the manifest is removed by the 3-way patch (last-applied-configuration is the declaration).
    writeFileSync(file, TEAM_A['namespaces/team-a/web.yaml'].replace(/ {2}powerState: PoweredOn\n/, ''));
    expect(admin(['diff', '-n', 'team-a', '-f', file]).stdout).toMatch(/-\s+powerState: PoweredOn/);
    git(work, 'checkout', '--', '.');
  });

  it('answers a server dry run with the quota refusal and a real apply with the Git path', () => {
    const big = join(tmp.dir, 'big.yaml');
    writeFileSync(big, vm('big', 'web').replace('best-effort-small', 'best-effort-2xlarge').replace('metadata:\n', 'metadata:\n  namespace: team-a\n'));
    for (const extra of [[], ['--server-side']]) {
      const r = admin(['apply', '--dry-run=server', ...extra, '-f', big]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/Forbidden.*\(QuotaExceeded\): exceeded quota: compute, requested: limits\.cpu=8,limits\.memory=64Gi, used: limits\.cpu=7,limits\.memory=13Gi, limited: limits\.cpu=12,limits\.memory=64Gi/);
    }
    const fits = admin(['apply', '-n', 'team-a', '--dry-run=server', '-f', join(work, 'namespaces/team-a/web.yaml')]);
    expect(fits.code).toBe(0);
    expect(fits.stdout).toContain('virtualmachine.vmoperator.vmware.com/web-1 unchanged (server dry run)');
    const invalid = admin(['apply', '--dry-run=server', '-f', '-'], vm('bad', 'web').replace('className', 'clasName').replace('metadata:\n', 'metadata:\n  namespace: team-a\n'));
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/is invalid: spec.clasName: unknown field "clasName"/);
    // An unchanged manifest sends no patch ("unchanged"); a changed one is refused.
    const resized = join(tmp.dir, 'resized.yaml');
    writeFileSync(resized, vm('web-1', 'web').replace('best-effort-small', 'best-effort-medium'));
    const real = admin(['apply', '-n', 'team-a', '-f', resized]);
    expect(real.code).toBe(1);
    expect(real.stderr).toMatch(/VirtualMachine team-a\/web-1 is declared in .*gitops\.git \(branch main\), namespaces\/team-a\/web\.yaml line 1: pacific applies only what Git holds/);
    const created = admin(['apply', '-f', big]);
    expect(created.stderr).toMatch(/MethodNotAllowed.*declare it in .*gitops\.git \(branch main\), in namespaces\/team-a\//);
  });

  it('answers auth can-i per role', () => {
    // kubectl prints the reason after a "no".
    const can = (k: Kubectl, ...args: string[]) => k(['auth', 'can-i', ...args]).stdout.trim().split(' ')[0];
    expect(can(admin, 'delete', 'vm', '-n', 'team-b')).toBe('yes');
    expect(can(dev, 'patch', 'vm', '-n', 'team-a')).toBe('yes');
    expect(can(dev, 'get', 'secrets', '-n', 'team-a')).toBe('yes');
    expect(can(auditor, 'list', 'vm', '-n', 'team-a')).toBe('yes');
    expect(can(auditor, 'patch', 'vm', '-n', 'team-a')).toBe('no');
    expect(can(bob, 'list', 'vm', '-n', 'team-a')).toBe('no');
    expect(can(bob, 'list', 'vm', '-n', 'team-b')).toBe('yes');
  });

  it('keeps a tenant in its namespaces and Secret values from a viewer', () => {
    const other = bob(['get', 'vm', '-n', 'team-a']);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('User "bob@vsphere.local" cannot list resource "virtualmachines" in API group "vmoperator.vmware.com" in the namespace "team-a": no NamespacePolicy permission of namespace team-a names User bob@vsphere.local');
    expect(bob(['get', 'vm', '-A', '-o', 'name']).stdout.trim()).toBe('virtualmachine.vmoperator.vmware.com/agent-1');
    expect(bob(['get', 'ns', '-o', 'name']).stdout.trim()).toBe('namespace/team-b');
    const viewed = auditor(['get', 'secret', '-n', 'team-a', 'db-password', '-o', 'json']);
    expect(viewed.code).toBe(0);
    expect(JSON.parse(viewed.stdout)).not.toHaveProperty('data');
    expect(viewed.stdout).not.toContain(Buffer.from('s3cret-value').toString('base64'));
    const edited = JSON.parse(dev(['get', 'secret', '-n', 'team-a', 'db-password', '-o', 'json']).stdout) as { data: Record<string, string> };
    expect(Buffer.from(edited.data['password']!, 'base64').toString()).toBe('s3cret-value');
    const resized = join(tmp.dir, 'resized-by-viewer.yaml');
    writeFileSync(resized, vm('web-1', 'web').replace('best-effort-small', 'best-effort-medium'));
    const viewerDryRun = auditor(['diff', '-n', 'team-a', '-f', resized]);
    expect(viewerDryRun.code).toBeGreaterThan(1); // kubectl diff: >1 is an error
    expect(viewerDryRun.stderr).toContain('NamespacePolicy team-a/policy grants Group auditors@vsphere.local the view role; this needs edit');
  });

  it('watches VMs and sees a change pushed to Git', async () => {
    const watch = admin.start(['get', 'vm', '-n', 'team-a', '-w']);
    try {
      await waitFor(() => (/web-2\s+PoweredOn/.test(watch.output()) ? true : undefined), 'the watch lists web-2');
      push('namespaces/team-a/web.yaml', TEAM_A['namespaces/team-a/web.yaml'].replace(/(name: web-2[\s\S]*?)powerState: PoweredOn/, '$1powerState: PoweredOff'), 'web-2 off');
      await waitFor(() => (/web-2\s+PoweredOff/.test(watch.output()) ? true : undefined), 'the watch sees web-2 powered off', 30_000);
    } finally {
      watch.stop();
    }
  });
});
