/**
 * `pacific kubeconfig`: a kubeconfig for an identity, as `kubectl vsphere login` writes one: the
 * API's CA, a bearer token pacific signs (expiring; 10 hours by default, like the Supervisor's SSO
 * token), one context per vSphere Namespace the identity may use and a default context for the
 * Supervisor. Without `--user` it is the VI admin's.
 */
import { dump } from 'js-yaml';
import { grantsOf } from '../access/grants.js';
import { VI_ADMIN_GROUP, VI_ADMIN_USER } from '../access/identity.js';
import { DEFAULT_TOKEN_TTL_SECONDS, loadSigningKey, signToken } from '../access/tokens.js';
import { parseDuration } from '../base/duration.js';
import { InventoryRegistry } from '../inventory/registry.js';
import { stateDirCa } from '../kube-api/tls.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { UsageError } from './load.js';

export interface KubeconfigOptions {
  readonly state: string;
  readonly server?: string;
  readonly user?: string;
  readonly group?: readonly string[];
  readonly ttl?: string;
}

/** The namespaces of the state dir's inventory the identity has a role in (all for a VI admin). */
function namespacesFor(stateDir: string, user: string, groups: readonly string[]): string[] {
  let store: ReturnType<typeof SqliteStore.openReadOnly>;
  try {
    store = SqliteStore.openReadOnly(stateDir);
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (start the daemon on this state dir once first)`);
  }
  try {
    const registry = new InventoryRegistry(store.loadInventory() ?? []);
    const grants = grantsOf({ user, groups }, registry);
    const all = registry.list('Namespace').map((n) => n.name);
    return (grants.admin ? all : all.filter((n) => grants.namespaces.has(n))).sort();
  } finally {
    store.close();
  }
}

export function kubeconfigText(options: KubeconfigOptions, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const server = options.server ?? 'https://127.0.0.1:6443';
  const user = options.user ?? VI_ADMIN_USER;
  const groups = options.user ? [...(options.group ?? [])] : [VI_ADMIN_GROUP, ...(options.group ?? [])];
  const ttl = options.ttl ? Math.round(parseDuration(options.ttl) / 1000) : DEFAULT_TOKEN_TTL_SECONDS;
  if (!(ttl > 0)) throw new UsageError(`--ttl ${options.ttl}: expected a positive duration such as 10h`);
  const ca = stateDirCa(options.state);
  const token = signToken(loadSigningKey(options.state), { user, groups, exp: nowSeconds + ttl }, nowSeconds);
  const host = new URL(server).hostname;
  const cluster = { name: host, cluster: { server, ...(ca ? { 'certificate-authority-data': Buffer.from(ca).toString('base64') } : {}) } };
  const userName = `wcp:${host}:${user}`;
  const contexts = [
    { name: host, context: { cluster: host, user: userName } },
    ...namespacesFor(options.state, user, groups).map((ns) => ({ name: ns, context: { cluster: host, namespace: ns, user: userName } })),
  ];
  return dump({ apiVersion: 'v1', kind: 'Config', preferences: {}, clusters: [cluster], users: [{ name: userName, user: { token } }], contexts, 'current-context': host }, { lineWidth: -1 });
}

export function kubeconfigCommand(options: KubeconfigOptions): number {
  process.stdout.write(kubeconfigText(options));
  return 0;
}
