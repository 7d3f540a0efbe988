/**
 * `/status` of the sample repo as a golden file: the document a platform engineer reads after the
 * first pass over `sample-repo/`, normalised (commit ids, times, durations and the temp repo path are
 * the only things a run changes). Refresh with `UPDATE_GOLDEN=1 npx vitest run test/server`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleRepoDir } from '../../daemon/base/paths.js';
import { statusView } from '../../daemon/server/views.js';
import { controllerHarness } from '../support/controller.js';

/** Every file of the sample repo, path → text. */
function sampleRepo(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(sampleRepoDir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(sampleRepoDir);
  return files;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The document with what differs between runs replaced by placeholders. */
function normalise(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, names));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, /(duration|Ms|Seconds)$/i.test(k) && typeof v === 'number' ? '<duration>' : normalise(v, names)]));
  }
  if (typeof value !== 'string') return value;
  if (ISO_TIME.test(value)) return '<time>';
  let out = value;
  for (const [from, to] of names) out = out.replaceAll(from, to);
  return out;
}

const h = controllerHarness();
afterAll(() => h.cleanup());

describe('/status of the sample repo', () => {
  it('matches the golden document after the first pass', async () => {
    const head = h.push(sampleRepo(), 'sample repo');
    await h.controller.reconcile({ reason: 'startup' });
    const status = statusView({ source: { repo: h.bare, branch: 'main' }, state: h.controller.state(), objects: h.controller.objectStatuses(), events: h.store.recentEvents(100) }) as { lastAppliedRevision: string };
    expect(status.lastAppliedRevision).toBe(head);
    const names = new Map([
      [head, '<revision>'],
      [head.slice(0, 7), '<rev>'],
      [h.bare, '<repo>'],
    ]);
    await expect(JSON.stringify(normalise(status, names), null, 2) + '\n').toMatchFileSnapshot('__golden__/status-sample-repo.json');
  });
});
