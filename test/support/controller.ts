/** An in-process controller over a real bare Git repo and a real SQLite store (no HTTP, no watcher). */
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import { Controller } from '../../daemon/controller/controller.js';
import { reconcilers } from '../../daemon/reconcilers/index.js';
import { RevisionLoader } from '../../daemon/controller/load-revision.js';
import { buildInventory } from '../../daemon/inventory/build.js';
import type { InventoryRegistry } from '../../daemon/inventory/registry.js';
import { DEFAULT_TOPOLOGY } from '../../daemon/inventory/topology.js';
import { Metrics } from '../../daemon/base/metrics.js';
import type { PruneLimit } from '../../daemon/plan/prune-bound.js';
import { GitSource } from '../../daemon/source/git-source.js';
import { SqliteStore } from '../../daemon/store/sqlite-store.js';
import { clockAt, type TestClock } from './clock.js';
import { schemas } from './fixtures.js';
import { git } from './git.js';
import { tempDir } from './temp.js';

export interface Harness {
  readonly controller: Controller;
  /** A new controller over the same store, registry and repo: what a restart keeps. */
  restart(): Controller;
  readonly registry: InventoryRegistry;
  readonly store: SqliteStore;
  readonly bare: string;
  readonly work: string;
  /** The controllers' clock, moved only by the test. */
  readonly clock: TestClock;
  /** Writes files (path → content; null deletes), commits and pushes; returns the commit id. */
  push(files: Record<string, string | null>, message?: string): string;
  cleanup(): void;
}

export function controllerHarness(options: { pruneLimit?: PruneLimit } = {}): Harness {
  const tmp = tempDir('pacific-controller-');
  const bare = join(tmp.dir, 'gitops.git');
  const work = join(tmp.dir, 'work');
  git(tmp.dir, 'init', '-q', '--bare', '-b', 'main', bare);
  git(tmp.dir, 'clone', '-q', bare, work);
  git(work, 'checkout', '-q', '-b', 'main');
  const store = SqliteStore.open(join(tmp.dir, 'state'));
  const registry = buildInventory(DEFAULT_TOPOLOGY);
  store.saveInventory(registry.all());
  const source = new GitSource({ gitdir: bare, branch: 'main' });
  const metrics = new Metrics({ defaultMetrics: false });
  const loader = new RevisionLoader(source, schemas, store, metrics, {}, true);
  const clock = clockAt('2026-11-21T12:00:00Z');
  const make = () =>
    new Controller({ source, branch: 'main', store, registry, schemas, reconcilers, loader, metrics, log: pino({ level: 'silent' }), clock, verifyPasses: true, ...options });
  const controller = make();
  return {
    controller,
    restart: make,
    registry,
    store,
    bare,
    work,
    clock,
    push(files, message = 'change') {
      for (const [path, content] of Object.entries(files)) {
        const target = join(work, path);
        if (content === null) rmSync(target, { force: true });
        else {
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, content);
        }
      }
      git(work, 'add', '-A');
      git(work, 'commit', '-q', '--allow-empty', '-m', message);
      git(work, 'push', '-q', '--force', 'origin', 'HEAD:main');
      return git(work, 'rev-parse', 'HEAD');
    },
    cleanup() {
      store.close();
      tmp.cleanup();
    },
  };
}
