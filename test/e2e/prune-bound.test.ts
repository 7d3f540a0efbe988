/**
 * The prune bound through the real CLI and HTTP: a commit that deletes everything is held with a
 * condition, the confirmation endpoint needs the token and the held revision's id, and confirming
 * applies it.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, initRepoFrom, runCli, startDaemonProcess, stopDaemonProcess, waitFor, type DaemonProcess } from '../support/daemon-process.js';
import { namespaceYaml, vmYaml } from '../support/fixtures.js';
import { git } from '../support/git.js';
import { tempDir } from '../support/temp.js';

interface Status {
  lastAppliedRevision: string;
  lastAttemptedRevision: string;
  conditions: { type: string; status: string; reason: string; message: string }[];
  pruneHold?: { revision: string; deletes: number; managed: number; share: number; limit: string };
}

let tmp: ReturnType<typeof tempDir>;
let daemon: DaemonProcess;
let work: string;
let token: string;
let first: string;

const status = async () => (await getJson<Status>(`${daemon.url}/status`)).body;
const vmNames = async () => (await getJson<{ virtualMachines: { name: string }[] }>(`${daemon.url}/inventory`)).body.virtualMachines.map((v) => v.name).sort();
const confirm = (body: unknown, auth = true) =>
  getJson<{ error?: string; confirmed?: string }>(`${daemon.url}/prune/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

function commit(message: string): string {
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', message);
  git(work, 'push', '-q', 'origin', 'main');
  return git(work, 'rev-parse', 'HEAD');
}

beforeAll(async () => {
  tmp = tempDir('pacific-prune-');
  const bare = initRepoFrom(tmp.dir, { 'platform/team-a.yaml': namespaceYaml('team-a'), ...Object.fromEntries(['a', 'b', 'c'].map((n) => [`namespaces/team-a/${n}.yaml`, vmYaml('team-a', n)])) });
  work = join(tmp.dir, 'work');
  git(tmp.dir, 'clone', '-q', bare, work);
  first = git(work, 'rev-parse', 'HEAD');
  // No --max-prune: the default bound (50%) is what is tested.
  daemon = await startDaemonProcess(['--repo', bare, '--state', join(tmp.dir, 'state'), '--resync', '1h']);
  token = readFileSync(join(tmp.dir, 'state', 'token'), 'utf8').trim();
  await waitFor(async () => ((await status()).lastAppliedRevision === first ? true : undefined), 'first revision applied');
});

afterAll(async () => {
  if (daemon) await stopDaemonProcess(daemon);
  tmp?.cleanup();
});

describe('prune bound, end to end', () => {
  it('applies a prune within the bound directly', async () => {
    rmSync(join(work, 'namespaces', 'team-a', 'c.yaml'));
    const head = commit('retire c'); // 1 of 4 objects pacific created
    await waitFor(async () => ((await status()).lastAppliedRevision === head ? true : undefined), 'small prune applied');
    expect(await vmNames()).toEqual(['a', 'b']);
  });

  it('holds a commit that deletes everything, refuses unauthenticated or mismatched confirmations, and applies it once confirmed', async () => {
    const applied = (await status()).lastAppliedRevision;
    rmSync(join(work, 'namespaces'), { recursive: true });
    rmSync(join(work, 'platform'), { recursive: true });
    writeFileSync(join(work, 'README.md'), 'nothing declared\n');
    const empty = commit('delete everything');
    const held = await waitFor(async () => {
      const s = await status();
      return s.lastAttemptedRevision === empty ? s : undefined;
    }, 'the empty revision attempted');
    expect(held.lastAppliedRevision).toBe(applied);
    expect(held.pruneHold).toEqual({ revision: empty, deletes: 3, managed: 3, share: 1, limit: '50%', examples: ['VirtualMachine/team-a/a', 'VirtualMachine/team-a/b', 'Namespace/team-a'] });
    expect(held.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PruneHeld' });
    expect(await vmNames()).toEqual(['a', 'b']);

    expect((await confirm({ revision: empty }, false)).status).toBe(401);
    expect(await confirm({ revision: first })).toEqual({ status: 409, body: { error: `revision ${first} is not held; the held revision is ${empty}` } });
    expect((await confirm({})).status).toBe(400);
    expect((await status()).pruneHold?.revision).toBe(empty);
    expect(await vmNames()).toEqual(['a', 'b']);

    expect(await confirm({ revision: empty })).toEqual({ status: 202, body: { confirmed: empty } });
    await waitFor(async () => ((await status()).lastAppliedRevision === empty ? true : undefined), 'the confirmed revision applied');
    const after = await status();
    expect(after.pruneHold).toBeUndefined();
    expect(after.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True' });
    expect(await vmNames()).toEqual([]);
  });

  it('refuses a --max-prune it cannot read', () => {
    const r = runCli(['serve', '--repo', join(tmp.dir, 'gitops.git'), '--state', join(tmp.dir, 'other-state'), '--max-prune', 'half']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--max-prune half: expected a percentage (50%), a number of objects (20), or off');
  });
});
