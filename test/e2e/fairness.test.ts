/**
 * Fairness end to end (issue 17): a real `pacific serve` while one tenant pushes a Deployment of
 * 100,000 small pods (hosts' pod maximums end its growth, about 4,000 on the default topology).
 * `/healthz` is polled throughout, and another tenant's pushes are timed while the giant grows and
 * once it is held at capacity. The machine running the tests is shared and noisy, so the bounds
 * here are generous (a probe never waits 2 s; a push is applied before the giant stops growing,
 * and within 15 s once it is held); the 100 ms and 1 s targets are measured by `bench/fairness.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheus, sumOf } from '../../bench/prom-text.js';
import { asAdmin, initRepoFrom, startDaemonProcess, stopDaemonProcess, waitFor, type DaemonProcess } from '../support/daemon-process.js';
import { namespaceYaml, vmYaml } from '../support/fixtures.js';
import { git } from '../support/git.js';
import { tempDir } from '../support/temp.js';
import { deploymentYaml } from '../reconcilers/supervisor/workloads.js';

let tmp: ReturnType<typeof tempDir>;
let daemon: DaemonProcess;
let work: string;

async function metrics(): Promise<ReturnType<typeof parsePrometheus>> {
  const url = `${daemon.url}/metrics`;
  return parsePrometheus(await (await fetch(url, asAdmin(url))).text());
}
const pods = async () => sumOf(await metrics(), 'pacific_objects', { kind: 'Pod' });
const applied = async (revision: string) => sumOf(await metrics(), 'pacific_last_applied_revision_info', { revision }) === 1;

function push(path: string, content: string): string {
  mkdirSync(dirname(join(work, path)), { recursive: true });
  writeFileSync(join(work, path), content);
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', `change ${path}`);
  git(work, 'push', '-q', 'origin', 'main');
  return git(work, 'rev-parse', 'HEAD');
}

/** Polls `/healthz` back to back (20 ms apart) until stopped; returns each answer's status and latency. */
function probe(): { stop: () => Promise<{ status: number; ms: number }[]> } {
  const answers: { status: number; ms: number }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const start = performance.now();
      // A refused connection is an answer too (status 0): the assertions say so.
      const status = await fetch(`${daemon.url}/healthz`).then(
        async (response) => (await response.arrayBuffer(), response.status),
        () => 0,
      );
      answers.push({ status, ms: performance.now() - start });
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    // Idempotent: the answers so far, once the loop has ended.
    stop: async () => {
      running = false;
      await loop;
      return answers;
    },
  };
}

beforeAll(async () => {
  tmp = tempDir('pacific-fairness-');
  const bare = initRepoFrom(tmp.dir, {
    'platform/team-a.yaml': namespaceYaml('team-a'),
    'platform/team-b.yaml': namespaceYaml('team-b'),
    'namespaces/team-a/web.yaml': vmYaml('team-a', 'web'),
  });
  // No full-pass verification: it plans every pass in full, in one block, by design.
  daemon = await startDaemonProcess(['--repo', bare, '--state', join(tmp.dir, 'state'), '--resync', '1h'], { PACIFIC_VERIFY_PASSES: '0' });
  work = join(tmp.dir, 'work');
  git(tmp.dir, 'clone', '-q', bare, work);
  await waitFor(async () => ((await fetch(`${daemon.url}/readyz`)).status === 200 ? true : undefined), 'ready');
});

afterAll(async () => {
  if (daemon) await stopDaemonProcess(daemon);
  tmp?.cleanup();
});

/** Pushes the giant and another tenant's VMs; returns the pods seen when the push during growth was applied, the final count, and the later pushes' latencies. */
async function giantAndOthers(): Promise<{ podsWhenApplied: number; final: number; heldLatencies: number[] }> {
  push('namespaces/team-b/giant.yaml', deploymentYaml('team-b', 'giant', 100_000, { cpu: '10m' }));
  await waitFor(async () => ((await pods()) > 0 ? true : undefined), 'the giant to start growing', 60_000);
  const during = push('namespaces/team-a/cache.yaml', vmYaml('team-a', 'cache'));
  await waitFor(async () => ((await applied(during)) ? true : undefined), 'the push during growth applied', 60_000);
  const podsWhenApplied = await pods();
  // Held at capacity: the count stops moving for two seconds.
  let last = -1;
  const final = await waitFor(
    async () => {
      const now = await pods();
      if (now === last) return now;
      last = now;
      await new Promise((r) => setTimeout(r, 2_000));
      return undefined;
    },
    'the giant to stop growing',
    180_000,
  );
  const heldLatencies: number[] = [];
  for (const name of ['queue', 'search']) {
    const pushed = performance.now();
    const revision = push(`namespaces/team-a/${name}.yaml`, vmYaml('team-a', name));
    await waitFor(async () => ((await applied(revision)) ? true : undefined), `the push of ${name} applied`, 30_000);
    heldLatencies.push(performance.now() - pushed);
  }
  return { podsWhenApplied, final, heldLatencies };
}

describe('a tenant pushing a Deployment of 100,000 pods', () => {
  it("applies another tenant's pushes while the giant grows and once it is held, and /healthz keeps answering", async () => {
    // The first Deployment a daemon sees compiles the kind's validator (ajv, 0.5-1.5 s in one block,
    // once per process): a small one first, so the probe measures the giant's handling, not that.
    const small = push('namespaces/team-a/small.yaml', deploymentYaml('team-a', 'small', 1, { cpu: '10m' }));
    await waitFor(async () => ((await applied(small)) ? true : undefined), 'the small Deployment applied', 60_000);
    const healthz = probe();
    const outcome = await giantAndOthers().finally(() => healthz.stop());
    const answers = await healthz.stop();
    // A push while the giant grows is applied before the giant stops growing: it is not behind all of it.
    expect(outcome.podsWhenApplied).toBeLessThan(outcome.final);
    // Held, the giant costs other tenants' pushes little (the bench: well under 1 s). Its pods may
    // still be starting, and test files run side by side on two cores (7 s seen at load 13), so
    // this only bounds the order of magnitude: issue 17 measured 32 s.
    for (const ms of outcome.heldLatencies) expect(ms).toBeLessThan(15_000);
    expect(answers.length).toBeGreaterThan(50);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    // Generously 2 s for the same reason (issue 17 measured a 16 s stall; the bench's target is 100 ms).
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(2_000);
  }, 300_000);
});
