/**
 * `pacific journal verify --state` against the state dir of a real daemon: the passes it recorded
 * chain; a record edited in the SQLite file, or one deleted, is named with exit 1.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, initRepoFrom, runCli, startDaemonProcess, stopDaemonProcess, waitFor } from '../support/daemon-process.js';
import { namespaceYaml, vmYaml } from '../support/fixtures.js';
import { git } from '../support/git.js';
import { tempDir } from '../support/temp.js';

let tmp: ReturnType<typeof tempDir>;
let state: string;

beforeAll(async () => {
  tmp = tempDir('pacific-journal-');
  const bare = initRepoFrom(tmp.dir, { 'ns.yaml': namespaceYaml('team-j'), 'web-1.yaml': vmYaml('team-j', 'web-1') });
  state = join(tmp.dir, 'state');
  const daemon = await startDaemonProcess(['--repo', bare, '--state', state, '--resync', '1h', '--no-tenancy']);
  try {
    const work = join(tmp.dir, 'work');
    git(tmp.dir, 'clone', '-q', bare, work);
    for (const name of ['web-2', 'web-3']) {
      writeFileSync(join(work, `${name}.yaml`), vmYaml('team-j', name));
      git(work, 'add', '-A');
      git(work, 'commit', '-qm', name);
      git(work, 'push', '-q', 'origin', 'main');
      const sha = git(work, 'rev-parse', 'HEAD');
      await waitFor(async () => ((await getJson<{ lastAppliedRevision: string | null }>(`${daemon.url}/status`)).body.lastAppliedRevision === sha ? true : undefined), `${name} applied`);
    }
    // The journal is read beside a running daemon, as the history is.
    expect(runCli(['journal', 'verify', '--state', state]).code).toBe(0);
  } finally {
    await stopDaemonProcess(daemon);
  }
});

afterAll(() => tmp?.cleanup());

const edit = (sql: string) => {
  const db = new Database(join(state, 'pacific.db'));
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
};

describe('pacific journal verify', () => {
  it('finds every pass the daemon recorded chained', () => {
    const r = runCli(['journal', 'verify', '--state', state]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^journal: [3-9] passes chained, #1 to #[3-9]; head [0-9a-f]{64}\n$/);
    expect(r.code).toBe(0);
  });

  it('names the pass whose record was edited, and the one after a deleted record', () => {
    edit(`UPDATE pass_history SET data = replace(data, '"trigger":"startup"', '"trigger":"webhook"') WHERE seq = 1`);
    const edited = runCli(['journal', 'verify', '--state', state]);
    expect(edited.stderr).toBe('journal broken at pass #1: its content does not match its hash (edited after it was written); the 0 pass(es) before it are chained\n');
    expect(edited.code).toBe(1);
    edit(`UPDATE pass_history SET data = replace(data, '"trigger":"webhook"', '"trigger":"startup"') WHERE seq = 1; DELETE FROM pass_history WHERE seq = 2`);
    const removed = runCli(['journal', 'verify', '--state', state]);
    expect(removed.stderr).toBe('journal broken at pass #3: it does not link to pass #1 before it (a record was removed, inserted or reordered); the 1 pass(es) before it are chained\n');
    expect(removed.code).toBe(1);
  });

  it('refuses a state dir that holds no store', () => {
    const r = runCli(['journal', 'verify', '--state', join(tmp.dir, 'nowhere')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nowhere');
  });
});
