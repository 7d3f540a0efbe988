/**
 * A daemon for the console's tests: two tenant namespaces (team-a: the auditors view it, team-b:
 * bob owns it), VMs, a Deployment and a Secret, served with its Kubernetes API (and so the console)
 * on free ports; HTTPS requests that trust the state dir's CA; kubeconfigs made by the real CLI.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { initRepoFrom, runCli, startDaemonProcess, stopDaemonProcess, waitFor, type DaemonProcess } from '../support/daemon-process.js';
import { git } from '../support/git.js';
import { tempDir } from '../support/temp.js';

export const SECRET_VALUE = 'hunter2-console-planted';

const PLATFORM = `apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: team-a}
spec:
  hard: {limits.cpu: "16", limits.memory: 64Gi, requests.storage: 500Gi}
---
apiVersion: pacific.dev/v1alpha1
kind: NamespacePolicy
metadata: {name: policy, namespace: team-a}
spec:
  vmClasses: [best-effort-small, best-effort-medium]
  permissions:
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

export const vm = (name: string, extra = '') => `apiVersion: vmoperator.vmware.com/v1alpha3
kind: VirtualMachine
metadata:
  name: ${name}
spec:
  className: best-effort-small
  imageName: ubuntu-22.04-cloudimg
  storageClass: vsan-default-storage-policy
  powerState: PoweredOn
${extra}`;

export const vms = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => vm(`${prefix}-${i + 1}`)).join('---\n');

const APP = `apiVersion: apps/v1
kind: Deployment
metadata: {name: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
        - {name: web, image: nginx:1.27, resources: {limits: {cpu: 500m, memory: 256Mi}}}
---
apiVersion: v1
kind: Secret
metadata: {name: db-password}
stringData: {password: ${SECRET_VALUE}}
`;

export const FILES: Readonly<Record<string, string>> = {
  'platform/namespaces.yaml': PLATFORM,
  'namespaces/team-a/vms.yaml': vms('web', 4),
  'namespaces/team-a/app.yaml': APP,
  'namespaces/team-b/vms.yaml': vms('batch', 2),
};

export interface ConsoleFixture {
  readonly daemon: DaemonProcess;
  readonly api: string;
  readonly ca: string;
  readonly adminToken: string;
  readonly state: string;
  /** A kubeconfig `pacific kubeconfig` wrote for a user and groups. */
  kubeconfig(user: string, groups: readonly string[]): string;
  /** Writes files in a clone, commits and pushes; resolves with the new commit id. */
  push(files: Readonly<Record<string, string | null>>, message: string): string;
  stop(): Promise<void>;
}

export async function startConsoleFixture(extraArgs: readonly string[] = []): Promise<ConsoleFixture> {
  const tmp = tempDir('pacific-console-');
  const bare = initRepoFrom(tmp.dir, FILES);
  const state = join(tmp.dir, 'state');
  const daemon = await startDaemonProcess(['--repo', bare, '--state', state, '--resync', '1h', ...extraArgs]);
  await waitFor(async () => ((await fetch(`${daemon.url}/readyz`)).status === 200 ? true : undefined), 'ready');
  const work = join(tmp.dir, 'work');
  git(tmp.dir, 'clone', '-q', bare, work);
  return {
    daemon,
    api: daemon.api!,
    ca: readFileSync(join(state, 'api', 'ca.crt'), 'utf8'),
    adminToken: readFileSync(join(state, 'token'), 'utf8').trim(),
    state,
    kubeconfig(user, groups) {
      const r = runCli(['kubeconfig', '--state', state, '--server', daemon.api!, '--user', user, ...groups.flatMap((g) => ['--group', g])]);
      if (r.code !== 0) throw new Error(`pacific kubeconfig failed: ${r.stderr}`);
      return r.stdout;
    },
    push(files, message) {
      for (const [path, text] of Object.entries(files)) {
        if (text === null) git(work, 'rm', '-q', path);
        else {
          writeFileSync(join(work, path), text);
          git(work, 'add', path);
        }
      }
      git(work, 'commit', '-qm', message);
      git(work, 'push', '-q', 'origin', 'main');
      return git(work, 'rev-parse', 'HEAD');
    },
    async stop() {
      await stopDaemonProcess(daemon);
      tmp.cleanup();
    },
  };
}

export interface HttpsReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

/** One HTTPS request trusting `ca`. */
export function https(url: string, ca: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpsReply> {
  return new Promise((resolve, reject) => {
    const body = init.body === undefined ? undefined : Buffer.from(init.body);
    const req = request(url, { method: init.method ?? 'GET', ca, agent: false, headers: { ...init.headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}
