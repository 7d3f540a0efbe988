/**
 * A state-changing request whose store write fails answers 503 with the store's own words (file,
 * SQLite code, cause), and the operation is rolled back; a real store, made to fail by another
 * connection holding its write lock until SQLite gives up (its busy timeout).
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../daemon/apply/executor.js';
import { createLogger } from '../../daemon/base/log.js';
import { Metrics } from '../../daemon/base/metrics.js';
import { listen, type Listening } from '../../daemon/server/http.js';
import type { DaemonApi } from '../../daemon/server/routes.js';
import { SimulatorAdmin } from '../../daemon/simulator/admin.js';
import { manifests, namespaceYaml, planOf, useInventoryStore, vmYaml } from '../support/fixtures.js';
import { clock } from '../support/clock.js';
import { send } from '../support/http-client.js';

const ctx = useInventoryStore();
let server: Listening | undefined;
let locker: Database.Database | undefined;

afterEach(async () => {
  locker?.close();
  await server?.close();
});

const unused = (): never => {
  throw new Error('not used by this test');
};

describe('a state-changing request when the store cannot be written', () => {
  it('answers 503 naming the database and the SQLite code, and changes nothing', async () => {
    const desired = manifests({ 'ns.yaml': namespaceYaml('team-a'), 'web.yaml': vmYaml('team-a', 'web-1') });
    await applyPlan(planOf(desired, ctx.registry), ctx.registry, ctx.store, { revision: 'rev-1', clock, ownership: ctx.store.ownership() });
    const log = createLogger({ level: 'silent' });
    const admin = new SimulatorAdmin({ registry: ctx.registry, store: ctx.store, metrics: new Metrics(), log, clock, onChanged: () => undefined });
    const api: DaemonApi = {
      ready: () => true,
      status: unused,
      inventory: unused,
      snapshot: unused,
      metrics: unused,
      summary: unused,
      objects: unused,
      events: unused,
      version: unused,
      suspend: unused,
      resume: unused,
      history: unused,
      reconcile: unused,
      confirmPrune: unused,
      adminVirtualMachine: (ns, name, action) => admin.virtualMachine(ns, name, action),
      adminHost: unused,
      webhook: unused,
    };
    server = await listen(api, { token: 'secret' }, '127.0.0.1:0', log);
    const powerOff = () => send(`${server!.url}/admin/virtualmachines/team-a/web-1/power-off`, { method: 'POST', headers: { authorization: 'Bearer secret' } });

    locker = new Database(ctx.store.path);
    locker.exec('BEGIN IMMEDIATE');
    const refused = await powerOff();
    expect(refused.status).toBe(503);
    const error = (JSON.parse(refused.text) as { error: string }).error;
    expect(error).toContain(`cannot write the state database ${ctx.store.path}: SQLITE_BUSY`);
    expect(error).toContain('The failed step was rolled back and the store is consistent');
    expect(ctx.registry.find('VirtualMachine', 'team-a', 'web-1')?.powerState).toBe('PoweredOn');

    locker.exec('ROLLBACK');
    expect((await powerOff()).status).toBe(200);
    expect(ctx.registry.find('VirtualMachine', 'team-a', 'web-1')?.powerState).toBe('PoweredOff');
  }, 20_000);
});
