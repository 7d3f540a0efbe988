/**
 * The store contract suite: what `daemon/store/ports.ts` promises, checked against a backend made
 * by a factory. Every backend runs it (`sqlite-store.test.ts` today); a second backend adds one
 * file that calls `storeContract` with its own factory.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Entity } from '../../daemon/inventory/model/entity.js';
import { passHash, verifyChain } from '../../daemon/store/pass-chain.js';
import { EVENT_RETENTION, PASS_RETENTION, StoreError, type DaemonStore, type StateReader } from '../../daemon/store/ports.js';
import type { ObjectStatusRecord, OwnedObject, StoredEvent, SyncState } from '../../daemon/store/types.js';
import { freshInventory } from '../support/fixtures.js';

/** One store of a backend under test. */
export interface BackendStore {
  readonly store: DaemonStore;
  /** The same store as another process opening it now sees it (what a restart finds). */
  peer(): DaemonStore;
  /** The same store opened for reading beside its writer. */
  reader(): StateReader;
  /** Makes every write fail until the returned function is called. */
  failWrites(): () => void;
  /** Closes everything it opened and removes what it created. */
  cleanup(): void;
}

/** Makes a new, empty store of a backend. */
export type BackendFactory = () => BackendStore;

const event = (reason: string, revision?: string): StoredEvent => ({ time: '2026-01-01T00:00:00.000Z', type: 'Normal', reason, object: 'Namespace/team-a', message: reason, ...(revision ? { revision } : {}) });
const owned = (name: string): OwnedObject => ({ key: `/Namespace//${name}`, apiVersion: 'v1', kind: 'Namespace', namespace: '', name, origin: 'created', revision: 'rev-1', source: { file: `${name}.yaml`, line: 1, column: 1 } });
const status = (name: string): ObjectStatusRecord => ({ key: `/Namespace//${name}`, apiVersion: 'v1', kind: 'Namespace', namespace: '', name, conditions: [{ type: 'Ready', status: 'True', reason: 'Reconciled', message: '' }] });
const state = (revision: string): SyncState => ({ headRevision: revision, lastAppliedRevision: revision, lastAttemptedRevision: revision, conditions: [], diagnostics: [] });
const reasons = (events: readonly StoredEvent[]) => events.map((e) => e.reason);
const byId = (entities: readonly Entity[] | undefined) => new Map((entities ?? []).map((e) => [e.id, e]));

export function storeContract(backend: string, factory: BackendFactory): void {
  describe(`the store contract (${backend})`, () => {
    let b: BackendStore;
    let opened: { close(): void }[];
    const peer = () => {
      const p = b.peer();
      opened.push(p);
      return p;
    };
    const hosts = () => freshInventory().list('Host');
    beforeEach(() => {
      b = factory();
      opened = [];
    });
    afterEach(() => {
      for (const s of opened) s.close();
      b.cleanup();
    });

    describe('step journal', () => {
      it("writes a step's entity changes, ownership and events together, durable when it returns", () => {
        const [host] = hosts();
        b.store.commitStep([{ op: 'put', entity: host! }], [{ op: 'put', record: owned('team-a') }], [event('Created')]);
        for (const s of [b.store, peer()]) {
          expect(byId(s.loadInventory()).get(host!.id)).toEqual(host);
          expect(s.ownership().get(owned('team-a').key)).toBe('created');
          expect(s.ownedObjects()).toEqual([owned('team-a')]);
          expect(reasons(s.recentEvents())).toEqual(['Created']);
        }
      });

      it('applies steps in commit order', () => {
        const [one, two] = hosts();
        b.store.commitStep([{ op: 'put', entity: one! }, { op: 'put', entity: two! }], [{ op: 'put', record: owned('team-a') }], []);
        b.store.commitStep([{ op: 'put', entity: { ...one!, name: 'renamed' } }, { op: 'delete', type: 'Host', id: two!.id }], [{ op: 'delete', key: owned('team-a').key }], []);
        const entities = byId(peer().loadInventory());
        expect(entities.get(one!.id)).toMatchObject({ name: 'renamed' });
        expect(entities.has(two!.id)).toBe(false);
        expect(b.store.ownership().size).toBe(0);
      });

      it('commits the steps of a batch together; the last write of an entity in it wins', () => {
        const [host] = hosts();
        const result = b.store.batch(() => {
          b.store.commitStep([{ op: 'put', entity: host! }], [{ op: 'put', record: owned('team-a') }], [event('First')]);
          b.store.commitStep([{ op: 'put', entity: { ...host!, name: 'second' } }], [{ op: 'put', record: owned('team-b') }], [event('Second')]);
          return 'done';
        });
        expect(result).toBe('done');
        const p = peer();
        expect(byId(p.loadInventory()).get(host!.id)).toMatchObject({ name: 'second' });
        expect([...p.ownership().keys()].sort()).toEqual([owned('team-a').key, owned('team-b').key]);
        expect(reasons(p.recentEvents())).toEqual(['Second', 'First']);
      });

      it('keeps nothing of a batch that throws, in the store or in what it reads back', () => {
        const [host] = hosts();
        const boom = new Error('boom');
        expect(() =>
          b.store.batch(() => {
            b.store.commitStep([{ op: 'put', entity: host! }], [{ op: 'put', record: owned('team-a') }], [event('Created')]);
            expect(b.store.ownership().has(owned('team-a').key)).toBe(false);
            throw boom;
          }),
        ).toThrow(boom);
        for (const s of [b.store, peer()]) {
          expect(s.loadInventory()).toBeUndefined();
          expect(s.ownership().size).toBe(0);
          expect(s.recentEvents()).toEqual([]);
        }
      });

      it('throws a StoreError for a write that fails, and the step changed nothing', () => {
        const [host] = hosts();
        const restore = b.failWrites();
        try {
          expect(() => b.store.commitStep([{ op: 'put', entity: host! }], [{ op: 'put', record: owned('team-a') }], [event('Created')])).toThrow(StoreError);
        } finally {
          restore();
        }
        expect(b.store.loadInventory()).toBeUndefined();
        expect(b.store.ownership().size).toBe(0);
        expect(b.store.recentEvents()).toEqual([]);
      }, 20_000);
    });

    describe('settled mark', () => {
      it('survives a restart when no step was committed since it was set', () => {
        b.store.setSettled('{"head":"abc"}');
        expect(b.store.settled()).toBe('{"head":"abc"}');
        expect(peer().settled()).toBe('{"head":"abc"}');
      });

      it('is removed by the next committed step, in the same write', () => {
        b.store.setSettled('mark');
        b.store.commitStep([], [], [event('Changed')]);
        expect(b.store.settled()).toBeUndefined();
        expect(peer().settled()).toBeUndefined();
        b.store.setSettled('again');
        b.store.batch(() => b.store.commitStep([], [], []));
        expect(peer().settled()).toBeUndefined();
      });

      it('stays when a batch fails, and goes when it is removed', () => {
        b.store.setSettled('mark');
        expect(() =>
          b.store.batch(() => {
            b.store.commitStep([], [], []);
            throw new Error('boom');
          }),
        ).toThrow('boom');
        expect(peer().settled()).toBe('mark');
        b.store.setSettled(undefined);
        expect(b.store.settled()).toBeUndefined();
        expect(peer().settled()).toBeUndefined();
      });
    });

    describe('event log', () => {
      it('keeps events in append order across every writer, newest first, with increasing seq', () => {
        b.store.addEvents([event('One'), event('Two', 'rev-1')]);
        b.store.commitStep([], [], [event('Three')]);
        b.store.saveReconcileResult(state('rev-1'), undefined, [event('Four')]);
        const events = peer().recentEvents();
        expect(reasons(events)).toEqual(['Four', 'Three', 'Two', 'One']);
        expect(events[2]).toMatchObject({ revision: 'rev-1' });
        const seqs = events.map((e) => e.seq!);
        expect(seqs).toEqual([...seqs].sort((x, y) => y - x));
        expect(reasons(b.store.recentEvents(2))).toEqual(['Four', 'Three']);
      });

      it('gives the events after a seq, oldest first, for a follower to resume from', () => {
        b.store.addEvents([event('One'), event('Two'), event('Three')]);
        const [, two] = b.store.eventsAfter(0);
        expect(reasons(b.store.eventsAfter(0))).toEqual(['One', 'Two', 'Three']);
        expect(reasons(peer().eventsAfter(two!.seq!))).toEqual(['Three']);
        expect(reasons(b.store.eventsAfter(0, 2))).toEqual(['One', 'Two']);
        expect(b.store.eventsAfter(b.store.recentEvents(1)[0]!.seq!)).toEqual([]);
      });

      it(`keeps the newest ${EVENT_RETENTION}`, () => {
        b.store.addEvents(Array.from({ length: EVENT_RETENTION + 5 }, (_, i) => event(`E${i}`)));
        const events = b.store.recentEvents(EVENT_RETENTION * 2);
        expect(events).toHaveLength(EVENT_RETENTION);
        expect(events.at(-1)!.reason).toBe('E5');
        expect(events[0]!.reason).toBe(`E${EVENT_RETENTION + 4}`);
      });
    });

    describe('suspend switch', () => {
      it('is off in a new store, survives a restart while on, and goes off on resume', () => {
        expect(b.store.suspension()).toBeUndefined();
        b.store.setSuspension({ since: '2026-01-01T00:00:00.000Z', by: 'pacific:admin-token', reason: 'incident 42' });
        expect(peer().suspension()).toEqual({ since: '2026-01-01T00:00:00.000Z', by: 'pacific:admin-token', reason: 'incident 42' });
        b.store.setSuspension(undefined);
        expect(peer().suspension()).toBeUndefined();
      });
    });

    describe('pass history', () => {
      const pass = (result: string, revision?: string) => ({ startedAt: '2026-01-01T00:00:00.000Z', durationMs: 3, trigger: 'watch', result, ...(revision ? { revision } : {}) });
      it('gives the newest passes first with increasing seq, across a restart', () => {
        b.store.recordPass(pass('applied', 'main@sha1:a'));
        b.store.recordPass({ ...pass('unchanged'), counts: { create: 1, update: 0, delete: 0, unchanged: 3, notReady: 0 }, planDigest: 'ab' });
        const passes = peer().passes();
        expect(passes.map((p) => p.result)).toEqual(['unchanged', 'applied']);
        expect(passes[0]!.seq!).toBeGreaterThan(passes[1]!.seq!);
        expect(passes[0]).toMatchObject({ counts: { create: 1, unchanged: 3 }, planDigest: 'ab' });
        expect(b.store.passes(1)).toHaveLength(1);
      });

      it(`keeps the newest ${PASS_RETENTION}`, () => {
        for (let i = 0; i < PASS_RETENTION + 3; i++) b.store.recordPass(pass(`r${i}`));
        const passes = b.store.passes(PASS_RETENTION * 2);
        expect(passes).toHaveLength(PASS_RETENTION);
        expect(passes.at(-1)!.result).toBe('r3');
        // Trimmed, the kept records still chain: the oldest one's link points at one no longer kept.
        expect(verifyChain([...passes].reverse())).toMatchObject({ ok: true, checked: PASS_RETENTION });
      });

      it('chains each record to the one before by hash, across a restart; an edited or missing record breaks the chain there', () => {
        b.store.recordPass(pass('applied', 'main@sha1:a'));
        b.store.recordPass({ ...pass('applied', 'main@sha1:b'), planDigest: 'cd', counts: { create: 2, update: 0, delete: 1, unchanged: 0, notReady: 0 } });
        b.store.recordPass(pass('unchanged'));
        const [first, second, third] = peer().passes().reverse();
        expect(first!.previousHash).toBeUndefined();
        expect(second!.previousHash).toBe(first!.hash);
        expect(third!.previousHash).toBe(second!.hash);
        for (const p of [first!, second!, third!]) expect(p.hash).toBe(passHash(p));
        expect(verifyChain([first!, second!, third!])).toMatchObject({ ok: true, checked: 3, head: third!.hash });
        expect(verifyChain([first!, { ...second!, result: 'failed' }, third!])).toMatchObject({ ok: false, seq: second!.seq, checked: 1 });
        expect(verifyChain([first!, third!])).toMatchObject({ ok: false, seq: third!.seq });
      });
    });

    describe('sync record', () => {
      it('is empty for a new store', () => {
        expect(b.store.syncState()).toBeUndefined();
        expect(b.store.objectStatuses()).toEqual([]);
      });

      it('writes the state, the status changes and the events of a pass together; statuses read back in key order', () => {
        b.store.saveReconcileResult(state('rev-1'), { put: [status('team-b'), status('team-a')], delete: [] }, [event('RevisionApplied')]);
        b.store.saveReconcileResult(state('rev-2'), { put: [status('team-c')], delete: [status('team-b').key] });
        const p = peer();
        expect(p.syncState()).toEqual(state('rev-2'));
        expect(p.objectStatuses()).toEqual([status('team-a'), status('team-c')]);
        expect(reasons(p.recentEvents())).toEqual(['RevisionApplied']);
      });
    });

    describe('inventory snapshot', () => {
      it('holds no inventory in a new store, then the whole one saved', () => {
        expect(b.store.loadInventory()).toBeUndefined();
        const entities = freshInventory().all();
        b.store.saveInventory(entities);
        expect(byId(peer().loadInventory())).toEqual(byId(entities));
      });
    });

    describe('meta', () => {
      it('keeps the last value of each key', () => {
        expect(b.store.meta('k')).toBeUndefined();
        b.store.setMeta('k', 'one');
        b.store.setMeta('k', 'two');
        expect(peer().meta('k')).toBe('two');
      });
    });

    describe('parse cache', () => {
      it('answers exactly the path and blob saved, until cleared', () => {
        const manifests = { file: 'a.yaml', objects: [], diagnostics: [] };
        expect(b.store.parsedFile('a.yaml', 'blob-1')).toBeUndefined();
        b.store.saveParsedFiles([{ path: 'a.yaml', blob: 'blob-1', manifests }]);
        expect(peer().parsedFile('a.yaml', 'blob-1')).toEqual(manifests);
        expect(b.store.parsedFile('a.yaml', 'blob-2')).toBeUndefined();
        expect(b.store.parsedFile('b.yaml', 'blob-1')).toBeUndefined();
        b.store.clearParsedFiles();
        expect(b.store.parsedFile('a.yaml', 'blob-1')).toBeUndefined();
      });
    });

    describe('a reader beside the writer', () => {
      it('sees what the writer committed', () => {
        const [host] = hosts();
        b.store.commitStep([{ op: 'put', entity: host! }], [{ op: 'put', record: owned('team-a') }], []);
        b.store.setMeta('k', 'v');
        b.store.saveParsedFiles([{ path: 'a.yaml', blob: 'blob-1', manifests: { file: 'a.yaml', objects: [], diagnostics: [] } }]);
        const reader = b.reader();
        opened.push(reader);
        expect(byId(reader.loadInventory()).get(host!.id)).toEqual(host);
        expect(reader.ownedObjects()).toEqual([owned('team-a')]);
        expect(reader.meta('k')).toBe('v');
        expect(reader.parsedFile('a.yaml', 'blob-1')).toBeDefined();
      });
    });
  });
}
