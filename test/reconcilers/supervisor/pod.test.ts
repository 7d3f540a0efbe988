import { describe, expect, it } from 'vitest';
import { DEFAULT_TOPOLOGY } from '../../../daemon/inventory/topology.js';
import { freshInventory, manifests, namespaceYaml, planOf, useInventoryStore } from '../../support/fixtures.js';
import { advanceAndRunTasks, planAndApply } from '../../support/reconcile.js';
import { limitRangeYaml, podYaml } from './workloads.js';

const ctx = useInventoryStore();
const ns = namespaceYaml('team-a');
const podChange = (files: Record<string, string>) => planOf(manifests({ 'ns.yaml': ns, ...files }), ctx.registry, ctx.store.ownership()).changes.find((c) => c.kind === 'Pod')!;

describe('vSphere Pods', () => {
  it('run as pod VMs sized from container limits, with requests reserved, Pending until started', async () => {
    const desired = manifests({ 'ns.yaml': ns, 'pod.yaml': podYaml('team-a', 'api', [{ limits: { cpu: '1500m', memory: '1Gi' }, requests: { cpu: '500m', memory: '512Mi' } }, { limits: { cpu: '500m', memory: '512Mi' } }]) });
    await planAndApply(desired, ctx.registry, ctx.store);
    const pod = ctx.registry.find('Pod', 'team-a', 'api')!;
    // 2000m of limits → a 2 vCPU pod VM with 1.5 GiB; requests: 500m + 500m (defaulted to the limit).
    expect(pod).toMatchObject({ phase: 'Pending', cpus: 2, cpuLimitMillis: 2000, memoryBytes: 1.5 * 2 ** 30, cpuReservationMillis: 1000, memoryReservationBytes: 2 ** 30, cpuReservationMhz: 2600 });
    expect(pod.id).toMatch(/^vm-\d+$/);
    expect(advanceAndRunTasks(ctx.registry, ctx.store, 299)).toBe(0);
    expect(advanceAndRunTasks(ctx.registry, ctx.store, 1)).toBe(1);
    expect(ctx.registry.find('Pod', 'team-a', 'api')!.phase).toBe('Running');
    expect(planOf(desired, ctx.registry, ctx.store.ownership()).changes).toEqual([]);
  });

  it('take LimitRange defaults for containers without limits, else 1 CPU / 512 MiB', async () => {
    const noLimits = await planAndApply(manifests({ 'ns.yaml': ns, 'pod.yaml': podYaml('team-a', 'bare') }), ctx.registry, ctx.store);
    expect(noLimits.results.at(-1)!.outcome).toBe('created');
    expect(ctx.registry.find('Pod', 'team-a', 'bare')).toMatchObject({ cpus: 1, memoryBytes: 512 * 2 ** 20, cpuReservationMillis: 0 });
    const withDefaults = manifests({ 'ns.yaml': ns, 'lr.yaml': limitRangeYaml('team-a', { default: { cpu: '2', memory: '2Gi' }, defaultRequest: { cpu: '250m', memory: '1Gi' } }), 'pod.yaml': podYaml('team-a', 'defaulted') });
    await planAndApply(withDefaults, ctx.registry, ctx.store);
    expect(ctx.registry.find('Pod', 'team-a', 'defaulted')).toMatchObject({ cpus: 2, memoryBytes: 2 * 2 ** 30, cpuReservationMillis: 250, memoryReservationBytes: 2 ** 30 });
  });

  it('refuses a pod over the LimitRange with the LimitRanger message', () => {
    const change = podChange({ 'lr.yaml': limitRangeYaml('team-a', { max: { cpu: '2', memory: '4Gi' } }), 'pod.yaml': podYaml('team-a', 'big', [{ limits: { cpu: '4', memory: '1Gi' } }]) });
    expect(change.admission).toMatchObject({ allowed: false, reason: 'LimitRangeViolation', message: 'pods "big" is forbidden: maximum cpu usage per Container is 2, but limit is 4' });
    const small = podChange({ 'lr.yaml': limitRangeYaml('team-a', { min: { memory: '256Mi' } }), 'pod.yaml': podYaml('team-a', 'tiny', [{ limits: { memory: '1Gi' }, requests: { memory: '128Mi' } }]) });
    expect(small.admission.message).toBe('pods "tiny" is forbidden: minimum memory usage per Container is 256Mi, but request is 128Mi');
  });

  it('refuses hostPath except /var/log/pods read-only, and ignores hostNetwork with a warning', () => {
    const volume = (path: string, readOnly: boolean) =>
      podYaml('team-a', 'logs', [{}], `  volumes:\n  - name: logs\n    hostPath: {path: ${path}}\n`).replace('image: registry.example.com/app:1.0', `image: registry.example.com/app:1.0\n    volumeMounts:\n    - {name: logs, mountPath: /logs, readOnly: ${readOnly}}`);
    expect(podChange({ 'pod.yaml': volume('/etc', true) }).admission).toMatchObject({ allowed: false, reason: 'Forbidden', message: expect.stringContaining('hostPath volumes are not supported by vSphere Pods') });
    expect(podChange({ 'pod.yaml': volume('/var/log/pods', false) }).admission.allowed).toBe(false);
    expect(podChange({ 'pod.yaml': volume('/var/log/pods', true) }).admission.allowed).toBe(true);
    const hostNetwork = podChange({ 'pod.yaml': podYaml('team-a', 'hn', [{}], '  hostNetwork: true\n') });
    expect(hostNetwork.admission).toMatchObject({ allowed: true, warnings: ['spec.hostNetwork is ignored: vSphere Pods run on the namespace network'] });
  });

  it('counts against the pods quota and refuses what exceeds it', () => {
    const quota = namespaceYaml('team-a', { pods: 2, 'limits.cpu': 10 });
    const plan = planOf(manifests({ 'ns.yaml': quota, 'pods.yaml': ['a', 'b', 'c'].map((n) => podYaml('team-a', n)).join('---\n') }), ctx.registry);
    const verdicts = plan.changes.filter((c) => c.kind === 'Pod').map((c) => c.admission.allowed);
    expect(verdicts).toEqual([true, true, false]);
    expect(plan.changes.find((c) => c.name === 'c')!.admission.message).toBe('pods "c" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2');
  });

  it('places at most the per-host vSphere Pod maximum on a host', () => {
    const topology = { ...DEFAULT_TOPOLOGY, hosts: DEFAULT_TOPOLOGY.hosts.map((h) => ({ ...h, maxPods: 2 })) };
    const pods = Array.from({ length: 9 }, (_, i) => podYaml('team-a', `p${i}`)).join('---\n');
    const plan = planOf(manifests({ 'ns.yaml': ns, 'pods.yaml': pods }), freshInventory(topology));
    const placed = plan.changes.filter((c) => c.kind === 'Pod' && c.admission.allowed);
    expect(placed).toHaveLength(8);
    const hosts = new Map<string, number>();
    for (const c of placed) hosts.set(c.admission.placement!.host, (hosts.get(c.admission.placement!.host) ?? 0) + 1);
    expect([...hosts.values()]).toEqual([2, 2, 2, 2]);
    expect(plan.changes.find((c) => c.name === 'p8')!.admission.message).toContain('has 2 of 2 vSphere Pods');
  });

  it('refuses changes Kubernetes forbids on a pod, and accepts an image change', async () => {
    await planAndApply(manifests({ 'ns.yaml': ns, 'pod.yaml': podYaml('team-a', 'api', [{ limits: { cpu: '1' } }]) }), ctx.registry, ctx.store);
    expect(podChange({ 'pod.yaml': podYaml('team-a', 'api', [{ limits: { cpu: '2' } }]) }).admission).toMatchObject({ allowed: false, reason: 'Forbidden', message: expect.stringContaining('pod updates may not change fields other than') });
    expect(podChange({ 'pod.yaml': podYaml('team-a', 'api', [{ limits: { cpu: '1' }, image: 'registry.example.com/app:2.0' }]) }).admission.allowed).toBe(true);
  });
});
