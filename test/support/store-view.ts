/**
 * What a daemon's state database holds, read with SQL beside the daemon (crash and disk-fault tests
 * look at the file a killed or starved daemon left, not through the daemon).
 */
import Database from 'better-sqlite3';
import { expect } from 'vitest';

export interface StoreView {
  /** `group/Kind/namespace/name` of every entity realizing a declared object, one per entity, sorted. */
  readonly managed: string[];
  /** The same keys for VirtualMachines only. */
  readonly vms: string[];
  /** The vCenter ids of the VMs. */
  readonly vmIds: string[];
  /** Keys of the ownership records, sorted. */
  readonly owned: string[];
  /** Applied steps so far (each step commits one event with its changes). */
  readonly steps: number;
  readonly lastApplied?: string;
  /** SQLite's `integrity_check`: 'ok' or what is broken. */
  readonly integrity: string;
}

/** `group/Kind/namespace/name` of the object an entity realizes (the ownership records' key). */
export function objectKey(o: { apiVersion: string; kind: string; namespace: string; name: string }): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : '';
  return `${group}/${o.kind}/${o.namespace}/${o.name}`;
}

/** Opens the database read-write (as a restarted daemon would, so WAL recovery can run) and reads it. */
export function readStore(dbPath: string): StoreView {
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    type Row = { type: string; id: string; object?: { apiVersion: string; kind: string; namespace: string; name: string } };
    const entities = (db.prepare('SELECT data FROM entity').pluck().all() as string[]).map((d) => JSON.parse(d) as Row);
    const vms = entities.filter((e) => e.type === 'VirtualMachine');
    const state = db.prepare('SELECT data FROM sync_state WHERE id = 1').pluck().get() as string | undefined;
    const lastApplied = state ? (JSON.parse(state) as { lastAppliedRevision?: string }).lastAppliedRevision : undefined;
    return {
      managed: entities.flatMap((e) => (e.object ? [objectKey(e.object)] : [])).sort(),
      vms: vms.flatMap((e) => (e.object ? [objectKey(e.object)] : [])).sort(),
      vmIds: vms.map((e) => e.id),
      owned: (db.prepare('SELECT key FROM owned_object').pluck().all() as string[]).sort(),
      steps: (db.prepare('SELECT COALESCE(MAX(seq), 0) FROM event').pluck().get() as number) ?? 0,
      ...(lastApplied ? { lastApplied } : {}),
      integrity: String(db.pragma('integrity_check', { simple: true })),
    };
  } finally {
    db.close();
  }
}

/** Applied steps so far; 0 while the database is busy or absent (polled while a daemon writes). */
export function stepsDone(dbPath: string): number {
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT COALESCE(MAX(seq), 0) FROM event').pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/** Every step committed whole: intact, nothing realized twice, inventory and ownership written together. */
export function expectConsistent(view: StoreView): void {
  expect(view.integrity).toBe('ok');
  expect(new Set(view.managed).size).toBe(view.managed.length); // no object realized twice
  expect(new Set(view.vmIds).size).toBe(view.vmIds.length); // no vCenter id twice
  expect(view.managed).toEqual(view.owned); // a VM and its ownership record, or neither
}
