/**
 * `pacific diff`: the daemon's plan for a revision, without applying it. Compared with a running
 * daemon (`--server`), a state dir (`--state`) or a fresh default inventory. Exit codes follow
 * kubectl diff: 0 no changes, 1 changes, 2 error (invalid manifests included).
 */
import { terminalProgress, type Progress } from './progress.js';
import { runSecretHash } from '../plan/secret-values.js';
import { readSecretHash } from '../store/secret-salt.js';
import { buildInventory } from '../inventory/build.js';
import type { Entity } from '../inventory/model/entity.js';
import { InventoryRegistry } from '../inventory/registry.js';
import { DEFAULT_TOPOLOGY, loadTopologyFile } from '../inventory/topology.js';
import { formatDiagnostic } from '../manifests/types.js';
import { plan, type Ownership } from '../plan/planner.js';
import { reconcilers } from '../reconcilers/index.js';
import { DEFAULT_PRUNE_LIMIT, pruneHold, pruneHoldNotice, type PruneLimit } from '../plan/prune-bound.js';
import { holdOf } from '../controller/prune-guard.js';
import { changeName, planJson, renderPlanText } from '../plan/render.js';
import type { StateReader } from '../store/ports.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { OwnedObject } from '../store/types.js';
import { objectDiffs, runExternalDiff, writeUnifiedDiffs } from './diff-output.js';
import { loadForCli, pruneLimitOption, UsageError } from './load.js';

export interface DiffOptions {
  ref?: string;
  branch?: string;
  state?: string;
  server?: string;
  topology?: string;
  output: 'text' | 'json' | 'diff';
  tenancy?: string | false;
  /** The daemon's prune bound (`--max-prune`), to say whether it would hold the revision. */
  maxPrune?: string;
  /** `--limit <name>=<value>`, repeated: as the daemon is run. */
  limits?: readonly string[];
  /** The bearer token `--server` reads with (`--token`, else $PACIFIC_TOKEN): the admin token, or one from pacific kubeconfig. */
  token?: string;
}

interface Observed {
  registry: InventoryRegistry;
  ownership: Map<string, Ownership>;
}

async function fromServer(url: string, token: string | undefined): Promise<Observed> {
  let response: Response;
  try {
    response = await fetch(new URL('/inventory/snapshot', url), token ? { headers: { authorization: `Bearer ${token}` } } : {});
  } catch (err) {
    throw new UsageError(`cannot reach pacific at ${url}: ${(err as Error).message}`);
  }
  if (response.status === 401) throw new UsageError(`${url} wants a token for /inventory/snapshot: pass --token or set $PACIFIC_TOKEN (the admin token, or one from pacific kubeconfig)`);
  if (!response.ok) throw new UsageError(`${url} answered ${response.status} for /inventory/snapshot`);
  const snapshot = (await response.json()) as { entities: Entity[]; ownership: OwnedObject[] };
  return { registry: new InventoryRegistry(snapshot.entities), ownership: new Map(snapshot.ownership.map((o) => [o.key, o.origin])) };
}

function openState(stateDir: string): StateReader {
  try {
    return SqliteStore.openReadOnly(stateDir);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function fromState(store: StateReader, stateDir: string): Observed {
  const entities = store.loadInventory();
  if (!entities) throw new UsageError(`state dir ${stateDir} holds no inventory yet`);
  return { registry: new InventoryRegistry(entities), ownership: new Map(store.ownership()) };
}

export async function diffCommand(path: string, options: DiffOptions): Promise<number> {
  if (options.state && options.server) throw new UsageError('use either --state or --server, not both');
  const limit = pruneLimitOption(options.maxPrune ?? DEFAULT_PRUNE_LIMIT);
  const store = options.state ? openState(options.state) : undefined;
  try {
    return await diffAgainst(path, options, limit, store);
  } finally {
    store?.close();
  }
}

async function diffAgainst(path: string, options: DiffOptions, limit: PruneLimit, store: StateReader | undefined): Promise<number> {
  const progress = terminalProgress();
  try {
    return await diffWith(path, options, limit, store, progress);
  } finally {
    progress.done();
  }
}

async function diffWith(path: string, options: DiffOptions, limit: PruneLimit, store: StateReader | undefined, progress: Progress): Promise<number> {
  progress.stage(`diff: reading and validating ${path}…`);
  const { loaded, schemas } = await loadForCli(path, { ...options, onDisk: true, ...(store ? { parsedIn: store } : {}) });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    progress.done();
    for (const d of loaded.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
    process.stderr.write(`${errors.length} problem(s): revision ${loaded.revision} would not be applied\n`);
    return 2;
  }
  progress.stage(`diff: ${loaded.objects.length} objects read; reading the inventory of ${options.server ?? options.state ?? 'the default topology'}…`);
  const observed: Observed = options.server
    ? await fromServer(options.server, options.token ?? process.env['PACIFIC_TOKEN'])
    : store
      ? fromState(store, options.state!)
      : { registry: buildInventory(options.topology ? loadTopologyFile(options.topology) : DEFAULT_TOPOLOGY), ownership: new Map() };
  progress.stage(`diff: planning ${loaded.objects.length} objects against the inventory…`);
  // The daemon's hashes of Secret values when its store is here; against a server, this run's own.
  const secretHash = store ? readSecretHash(store) : runSecretHash;
  const result = plan({
    revision: loaded.revision,
    reconcilers,
    desired: loaded.objects,
    inventory: observed.registry,
    ownership: observed.ownership,
    normalizeSpec: (a, k, s) => schemas.normalizeSpec(a, k, s),
    secretHash,
  });
  // The confirmation a state dir keeps lets its revision through, as in the daemon.
  const held = store ? holdOf(result, observed.ownership, limit, store) : pruneHold(result, observed.ownership, limit);
  progress.stage(`diff: writing ${result.changes.length} changes…`);
  if (options.output === 'diff') {
    const diffs = objectDiffs(result, observed.registry, reconcilers, (a, k, s) => schemas.normalizeSpec(a, k, s), secretHash);
    progress.done();
    // stdout is the patch; what it cannot say goes to stderr.
    for (const c of result.changes) if (!c.admission.allowed) process.stderr.write(`${changeName(c)}: refused (${c.admission.reason ?? 'Invalid'}): ${c.admission.message ?? ''}\n`);
    if (held) process.stderr.write(`${pruneHoldNotice(held)}\n`);
    const external = process.env['KUBECTL_EXTERNAL_DIFF']?.trim();
    if (external) return runExternalDiff(external, diffs);
    return writeUnifiedDiffs(diffs, Boolean(process.stdout.isTTY) && !process.env['NO_COLOR']);
  }
  progress.done();
  if (options.output === 'json') process.stdout.write(JSON.stringify({ ...(planJson(result) as object), ...(held ? { pruneHold: held } : {}) }, null, 2) + '\n');
  else process.stdout.write(renderPlanText(result) + (held ? `\n${pruneHoldNotice(held)}\n` : ''));
  return result.changes.length ? 1 : 0;
}
