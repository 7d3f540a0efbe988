/**
 * The composition root of `pacific serve`: opens the state dir, restores or builds the inventory,
 * follows the repo's branch, and serves status over HTTP. Everything it wires is built elsewhere.
 */
import { storeSecretHash } from './store/secret-salt.js';
import type { Logger } from 'pino';
import { systemClock } from './base/clock.js';
import { Controller } from './controller/controller.js';
import { reconcilers } from './reconcilers/index.js';
import { PARSE_CACHE_META, parseCacheKey, RevisionLoader } from './controller/load-revision.js';
import { ReconcileLoop } from './controller/loop.js';
import { buildInventory } from './inventory/build.js';
import { InventoryRegistry } from './inventory/registry.js';
import { TaskRunner } from './simulator/task-runner.js';
import { TASK_COMPLETIONS } from './inventory/task-kinds.js';
import { DEFAULT_TOPOLOGY, loadTopologyFile } from './inventory/topology.js';
import { SchemaRegistry } from './manifests/schema-registry.js';
import type { TenancyRule } from './manifests/tenancy.js';
import type { ManifestLimits } from './base/input-limits.js';
import type { LoadOptions } from './manifests/load.js';
import { Metrics } from './base/metrics.js';
import type { PruneLimit } from './plan/prune-bound.js';
import { SimulatorAdmin } from './simulator/admin.js';
import { listen, requestHandler, type Listening } from './server/http.js';
import type { WriteLimits } from './server/write-guard.js';
import { CLI_PATHS, type DaemonApi, type Identify } from './server/routes.js';
import { daemonApi } from './daemon-api.js';
import { grantsOf } from './access/grants.js';
import { followRepo, type FollowRepoOptions } from './follow.js';
import { lockStateDir, loadToken } from './store/state-dir.js';
import type { DaemonStore, InventorySnapshot } from './store/ports.js';
import { SqliteStore } from './store/sqlite-store.js';
import { authenticator } from './access/identity.js';
import { loadSigningKey } from './access/tokens.js';
import { startKubeApi, type KubeApi } from './kube-api/listener.js';
import { ConsoleDoor } from './console/door.js';
import type { CoreView } from './kube-api/core-view.js';
import type { ManifestObject } from './manifests/types.js';
import { Replica, ReplicaClosed, replaceEntities, type EtcdStoreConfig } from './ha/replica.js';
import { Notifier, type NotifyOptions } from './notify/notifier.js';

export interface DaemonOptions extends FollowRepoOptions {
  readonly listen: string;
  readonly resyncMs: number;
  readonly topologyFile?: string;
  /** The repo's tenancy rule; undefined turns it off. */
  readonly tenancy: TenancyRule | undefined;
  /** Bounds on files and documents (`--limit`); unset ones are the defaults. */
  readonly limits?: Partial<ManifestLimits>;
  /** Body size and per-client rate of state-changing requests (default `DEFAULT_WRITE_LIMITS`). */
  readonly writeLimits?: WriteLimits;
  /** `--max-prune`: a revision deleting more is held until confirmed. */
  readonly pruneLimit: PruneLimit;
  /** `--allowed-host`: names every listener answers besides IP addresses and localhost. */
  readonly allowedHosts?: readonly string[];
  /** The Kubernetes API (HTTPS): its address, and the operator's certificate and key when given. */
  readonly api?: { readonly listen: string; readonly certFile?: string; readonly keyFile?: string };
  /** `--store etcd://…`: the distributed store, one replica of several (default: SQLite in the state dir). */
  readonly etcd?: EtcdStoreConfig;
  /** A replica whose lead ended (lost lease, refused write): it has stopped applying (`serve` then exits). */
  readonly onLeadershipLost?: (reason: string) => void;
  /** `--notify`: receivers told of applied and failed revisions, prune holds, drift, host and source faults. */
  readonly notify?: NotifyOptions;
  readonly log: Logger;
  /** Aborted on a stop signal: a pass running then (the startup pass too) is the last one. */
  readonly stopSignal?: AbortSignal;
}

export interface RunningDaemon {
  readonly url: string;
  readonly token: string;
  readonly tokenPath?: string;
  readonly loop: ReconcileLoop;
  readonly registry: InventoryRegistry;
  /** The Kubernetes API's URL and the CA that signed its certificate (when pacific made it). */
  readonly api?: { readonly url: string; readonly ca?: string };
  stop(): Promise<void>;
}

const STATUS_EVENTS = 100;

/** Restores the persisted inventory, or builds and persists the topology's for a new state dir. */
function restoreInventory(store: InventorySnapshot, topologyFile: string | undefined, log: Logger): InventoryRegistry {
  const saved = store.loadInventory();
  if (saved) {
    if (topologyFile) log.warn({ topologyFile }, 'the state dir already holds an inventory; --topology applies only to a new state dir');
    return new InventoryRegistry(saved);
  }
  const registry = buildInventory(topologyFile ? loadTopologyFile(topologyFile) : DEFAULT_TOPOLOGY);
  store.saveInventory(registry.all());
  return registry;
}

/** Starts the daemon; resolves once the first pass has run and the server listens. */
export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const { log } = options;
  // The one clock every part of the daemon reads.
  const clock = systemClock;
  const unlock = lockStateDir(options.stateDir);
  let store: DaemonStore | undefined;
  let replica: Replica | undefined;
  // What started before a failure (a port in use) is closed again, so the process can exit.
  const started: (() => unknown)[] = [];
  try {
    replica = options.etcd ? Replica.open(options.etcd, options.stateDir, log) : undefined;
    store = replica?.store ?? SqliteStore.open(options.stateDir);
    const schemas = SchemaRegistry.load();
    // Parsed files are cached by path and blob; their verdicts depend on the schemas, the tenancy rule and the parser.
    const loadOptions: LoadOptions = { ...(options.tenancy ? { tenancy: options.tenancy } : {}), ...(options.limits ? { limits: options.limits } : {}) };
    const parsing = parseCacheKey(schemas, loadOptions);
    const writable = store;
    const prepareStore = () => {
      if (writable.meta(PARSE_CACHE_META) === parsing) return;
      writable.clearParsedFiles();
      writable.setMeta(PARSE_CACHE_META, parsing);
      // Verdicts may differ now: the revision the last pass left settled must be read and planned again.
      writable.setSettled(undefined);
    };
    // A replica writes nothing before it leads; it starts from what the store holds.
    if (!replica) prepareStore();
    const registry = replica ? new InventoryRegistry(store.loadInventory() ?? []) : restoreInventory(store, options.topologyFile, log);
    const { followed, branch, verifier, receivers, webhook } = await followRepo(options, clock, log);
    const { source } = followed;
    const metrics = new Metrics();
    // PACIFIC_VERIFY_PASSES=1 (tests): every incremental load and pass is checked against a full one.
    const verify = process.env['PACIFIC_VERIFY_PASSES'] === '1';
    const loader = new RevisionLoader(source, schemas, store, metrics, loadOptions, verify);
    const controller = new Controller({ source, branch, store, registry, schemas, reconcilers, loader, metrics, log, clock, pruneLimit: options.pruneLimit, verifyPasses: verify, secretHash: storeSecretHash(store), ...(verifier ? { verifier } : {}) });
    // Told from the event log after each pass and simulator change; sending never holds a pass up.
    const notifier = options.notify?.urls.length ? new Notifier(options.notify, store, { repo: source.location, branch }, metrics, log) : undefined;
    if (notifier) started.push(() => notifier.stop());
    const countEvents = (events: readonly { type: string; reason: string }[]) => {
      for (const e of events) metrics.events.inc({ type: e.type, reason: e.reason });
    };
    const tasks = new TaskRunner({ registry, store, clock, completions: TASK_COMPLETIONS, onCompleted: () => loop.trigger({ reason: 'task' }), onEvents: countEvents, log });
    let kubeApi: KubeApi | undefined;
    // The apply whose changes the Kubernetes API published last: a later pass that applied nothing new caused nothing.
    let publishedApply = 0;
    const loop = new ReconcileLoop(controller, {
      resyncMs: options.resyncMs,
      standby: replica !== undefined,
      log,
      afterPass: async () => {
        // Watchers first: what the pass changed is on their connections before the notifier and the task runner look.
        try {
          const applied = metrics.lastAppliedAtMs > publishedApply ? metrics.lastAppliedAtMs : undefined;
          publishedApply = metrics.lastAppliedAtMs;
          if (kubeApi) metrics.observe('publish', await kubeApi.refresh(applied));
        } catch (err) {
          // Its bookkeeping could not be written (a full disk): the API serves what it served, and retries after the next pass.
          log.error({ err }, 'the Kubernetes API could not record the changes of this pass');
        }
        notifier?.look();
        tasks.schedule();
      },
    });
    options.stopSignal?.addEventListener('abort', () => void loop.stop(), { once: true });
    const { token, path: tokenPath } = loadToken(options.stateDir);
    const admin = new SimulatorAdmin({
      registry,
      store,
      metrics,
      log,
      clock,
      onChanged: (kind) => {
        notifier?.look();
        tasks.schedule();
        // Drift is the next resync's to find; host events change what runs where: look now.
        if (kind === 'host') loop.trigger({ reason: 'admin' });
      },
    });
    const openStore = store;
    replica?.registerMetrics(metrics.registry);

    const statusInput = () => ({
      source: { repo: source.location, branch, ...followed.watchState() },
      state: controller.state(),
      objects: replica && !replica.isLeader ? replica.objectStatuses() : controller.objectStatuses(),
      events: openStore.recentEvents(STATUS_EVENTS),
      ...(replica ? { replica: replica.status() } : {}),
    });
    // Every door decides with the same identities and grants: the admin token and tokens pacific signs.
    const authn = authenticator(loadSigningKey(options.stateDir), token);
    const identify: Identify = (header) => {
      const who = authn.authenticate(header);
      return who && !('refused' in who) ? grantsOf(who, registry) : who;
    };
    const parts = { registry, store: openStore, controller, loop, admin, metrics, clock, log, replica, location: source.location, branch, tenantRoot: options.tenancy?.root, statusInput };
    const api: DaemonApi = { ...daemonApi({ ...parts, adminStatusInput: () => ({ ...statusInput(), receivers: receivers.list() }) }), webhook };

    // One handler for both listeners: the CLI's paths under a kubeconfig context share the write guard's budget.
    const handler = requestHandler(api, { token, identify, ...(options.writeLimits ? { limits: options.writeLimits } : {}) }, log);
    const server: Listening = await listen(api, { token, allowedHosts: options.allowedHosts ?? [] }, options.listen, log, handler);
    started.push(() => server.close());
    started.push(() => followed.stop());
    await followed.watch((reason, refWrittenAtMs, webhookAtMs) => loop.trigger({ reason, refWrittenAtMs, ...(webhookAtMs !== undefined ? { webhookAtMs } : {}) }), (state) =>
      state.mode === 'polling' ? log.warn({ repo: source.location }, state.message) : log.info({ repo: source.location }, 'watching the repository for pushes again'),
    );
    // In distributed mode only the leader serves the Kubernetes API: its bookkeeping is the leader's own (kube-api.db).
    const startApi = async (apiOptions: NonNullable<DaemonOptions['api']>) => {
      // A restarted daemon whose first pass was skipped has not loaded its applied revision: dry runs plan beside it.
      let applied: { revision: string; objects: readonly ManifestObject[] } | undefined;
      const lastApplied = controller.state().lastAppliedRevision;
      if (!controller.appliedRevision() && lastApplied) {
        const loaded = await loader.load(lastApplied).catch(() => undefined);
        if (loaded && !loaded.diagnostics.some((d) => d.severity === 'error')) applied = { revision: lastApplied, objects: loaded.objects };
      }
      const core: CoreView = {
        inventory: registry,
        schemas,
        source: { repo: source.location, branch, ...(options.tenancy ? { tenantRoot: options.tenancy.root } : {}) },
        statuses: () => controller.objectStatuses(),
        status: (key) => controller.objectStatus(key),
        statusChangesSince: (cursor) => controller.statusChangesSince(cursor),
        desiredObject: (key) => controller.desiredObject(key),
        applied: () => controller.appliedRevision() ?? applied,
        ownership: () => openStore.ownership(),
        recentEvents: (limit) => openStore.recentEvents(limit),
        now: () => Date.now(),
      };
      const consoleBackend = { statusInput, suspension: () => openStore.suspension(), ...(options.tenancy ? { tenantRoot: options.tenancy.root } : {}), reconcile: api.reconcile, confirmPrune: api.confirmPrune, suspend: api.suspend, resume: api.resume };
      kubeApi = await startKubeApi({ ...apiOptions, verify, onWatchDelivered: (ms) => metrics.watchDelivery.observe(ms / 1000), stateDir: options.stateDir, core, authn, ready: () => loop.ready, log, mount: (served) => new ConsoleDoor({ ...served, ...consoleBackend }, consoleBackend, authn, options.writeLimits?.rate), pacificEndpoints: { paths: CLI_PATHS, handle: handler }, allowedHosts: options.allowedHosts ?? [] });
    };
    if (options.api && !replica) await startApi(options.api);
    log.info({ url: server.url, ...(kubeApi ? { api: kubeApi.url } : {}), repo: source.location, branch, stateDir: options.stateDir, tokenFile: tokenPath, ...(notifier ? { notify: notifier.labels } : {}) }, 'pacific is serving');
    let stopping = false;
    if (!replica) await loop.start();
    else {
      const leading = replica;
      leading.onLost((reason) => {
        log.error({ reason }, 'this replica lost its lead: it stops applying now');
        tasks.stop();
        void loop.stop().finally(() => options.onLeadershipLost?.(reason));
      });
      // Followers serve what the store holds; the winner takes over with the inventory it followed.
      void leading
        .lead(registry, () => {})
        .then(async () => {
          // A stop while this replica was taking the lead: nothing more is started.
          if (stopping) return;
          prepareStore();
          if (!writable.loadInventory()) replaceEntities(registry, restoreInventory(writable, options.topologyFile, log).all());
          controller.reloadStatuses();
          notifier?.skipToNow();
          await loop.start();
          if (options.api && !stopping) await startApi(options.api);
          // A stop that came while the API was starting did not see it: it is closed here, or the process would not exit.
          if (stopping) await kubeApi?.close();
        })
        .catch((err: unknown) => {
          if (!(err instanceof ReplicaClosed)) options.onLeadershipLost?.(`could not take the lead: ${(err as Error).message}`);
        });
    }

    return {
      url: server.url,
      token,
      ...(tokenPath ? { tokenPath } : {}),
      loop,
      registry,
      ...(kubeApi ? { api: { url: kubeApi.url, ...(kubeApi.tls.ca ? { ca: kubeApi.tls.ca } : {}) } } : {}),
      async stop() {
        stopping = true;
        await followed.stop();
        tasks.stop();
        await loop.stop();
        notifier?.stop();
        // Resign first: the next replica leads while this one closes its doors.
        replica?.close();
        await kubeApi?.close();
        await server.close();
        if (!replica) openStore.close();
        unlock();
      },
    };
  } catch (err) {
    for (const stop of started.reverse()) await stop();
    if (replica) replica.close();
    else store?.close();
    unlock();
    throw err;
  }
}
