/**
 * @kubernetes/client-node 1.x (the line that runs on Node 20) keeps an informer in sync with
 * pacific's API across 1,000 changes pushed to Git and a daemon restart: the watch resumes, and
 * after a restart during which something changed the old resourceVersion is 410 Expired, so the
 * informer relists and carries on.
 */
import * as k8s from '@kubernetes/client-node';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, initRepoFrom, runCli, startDaemonProcess, stopDaemonProcess, waitFor, type DaemonProcess } from '../support/daemon-process.js';
import { namespaceYaml, vmYaml } from '../support/fixtures.js';
import { git } from '../support/git.js';
import { tempDir } from '../support/temp.js';

const VMS = 100;
const vms = (generation: number, count = VMS) => Array.from({ length: count }, (_, i) => vmYaml('team-a', `vm-${i}`, { labels: { generation: `g${generation}` } })).join('---\n');

let tmp: ReturnType<typeof tempDir>;
let daemon: DaemonProcess;
let work: string;
let args: string[];

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function applied(): Promise<void> {
  const head = git(work, 'rev-parse', 'HEAD');
  await waitFor(async () => ((await getJson<{ lastAppliedRevision: string }>(`${daemon.url}/status`)).body.lastAppliedRevision === head ? true : undefined), `revision ${head} applied`, 60_000);
}

function push(text: string, message: string): void {
  writeFileSync(join(work, 'namespaces/team-a/vms.yaml'), text);
  git(work, 'commit', '-qam', message);
  git(work, 'push', '-q', 'origin', 'main');
}

beforeAll(async () => {
  tmp = tempDir('pacific-informer-');
  const bare = initRepoFrom(tmp.dir, { 'platform/team-a.yaml': namespaceYaml('team-a'), 'namespaces/team-a/vms.yaml': vms(0) });
  args = ['--repo', bare, '--state', join(tmp.dir, 'state'), '--resync', '1h', '--api-listen', `127.0.0.1:${await freePort()}`];
  daemon = await startDaemonProcess(args);
  work = join(tmp.dir, 'work');
  git(tmp.dir, 'clone', '-q', bare, work);
  await applied();
}, 120_000);

afterAll(async () => {
  if (daemon) await stopDaemonProcess(daemon);
  tmp?.cleanup();
});

describe('a client-node informer', () => {
  it('stays in sync across 1,000 changes and a restart (relist after 410)', async () => {
    const config = new k8s.KubeConfig();
    config.loadFromString(runCli(['kubeconfig', '--state', join(tmp.dir, 'state'), '--server', daemon.api!]).stdout);
    const api = config.makeApiClient(k8s.CustomObjectsApi);
    const path = '/apis/vmoperator.vmware.com/v1alpha6/namespaces/team-a/virtualmachines';
    let lists = 0;
    const list = () => {
      lists++;
      return api.listNamespacedCustomObject({ group: 'vmoperator.vmware.com', version: 'v1alpha6', namespace: 'team-a', plural: 'virtualmachines' }) as Promise<k8s.KubernetesListObject<k8s.KubernetesObject>>;
    };
    const informer = k8s.makeInformer(config, path, list);
    let updates = 0;
    informer.on('update', () => updates++);
    informer.on('error', () => setTimeout(() => void informer.start().catch(() => undefined), 300));
    await informer.start();
    const cached = () => new Map(informer.list().map((o) => [o.metadata!.name!, o]));
    const inSync = async () => {
      const served = (await list()).items;
      lists--; // the check's own list does not count
      const mine = cached();
      return served.length === mine.size && served.every((o) => mine.get(o.metadata!.name!)?.metadata?.resourceVersion === o.metadata!.resourceVersion) ? true : undefined;
    };
    expect(cached().size).toBe(VMS);

    // Ten pushes relabel every VM: 1,000 changes, each a MODIFIED event.
    for (let generation = 1; generation <= 10; generation++) {
      push(vms(generation), `generation ${generation}`);
      await applied();
    }
    await waitFor(() => (updates >= 10 * VMS ? true : undefined), '1,000 updates', 60_000);
    await waitFor(inSync, 'the informer in sync', 30_000);
    expect([...cached().values()].every((o) => o.metadata!.labels!['generation'] === 'g10')).toBe(true);
    expect(lists).toBe(1);

    // A restart with a change while it was down: the informer's version is too old (410), it relists.
    await stopDaemonProcess(daemon);
    push(vms(11, VMS - 10), 'ten VMs fewer, the rest relabelled');
    daemon = await startDaemonProcess(args);
    await applied();
    await waitFor(async () => (cached().size === VMS - 10 ? inSync() : undefined), 'the informer in sync after the restart', 60_000);
    expect(lists).toBeGreaterThanOrEqual(2);
    expect([...cached().values()].every((o) => o.metadata!.labels!['generation'] === 'g11')).toBe(true);
    await informer.stop();
  }, 300_000);
});
