/**
 * `pacific diff -o diff`: each changed object as a unified YAML diff, live against desired, as
 * `kubectl diff` prints it; or, when `KUBECTL_EXTERNAL_DIFF` names a program, the two sides written
 * to a LIVE and a MERGED directory of per-object files and that program run on them, its output and
 * its exit code (0 none, 1 differences, anything else an error) passed through as kubectl does.
 */
import type { SecretHash } from '../plan/secret-values.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InventoryReader } from '../inventory/registry.js';
import type { Change, ObservedObject, PlanContext } from '../plan/contract.js';
import { objectSides } from '../plan/object-sides.js';
import type { ReconcilerSet } from '../plan/reconciler-set.js';
import { changeName, objectYaml, unifiedObjectDiff } from '../plan/render.js';
import type { Plan } from '../plan/types.js';

/** One changed object's two sides as YAML; the empty text where it does not exist. */
export interface ObjectDiff {
  readonly change: Change;
  readonly live: string;
  readonly desired: string;
}

/** The sides of every change of `plan`, against the inventory it was planned on. */
export function objectDiffs(plan: Plan, inventory: InventoryReader, reconcilers: ReconcilerSet, normalizeSpec: PlanContext['normalizeSpec'], secretHash?: SecretHash): ObjectDiff[] {
  const live = new Map<string, ObservedObject>();
  const observedKinds = new Set<string>();
  for (const change of plan.changes) {
    const kind = `${change.group}/${change.kind}`;
    if (observedKinds.has(kind)) continue;
    observedKinds.add(kind);
    for (const o of reconcilers.of(change.group, change.kind)?.observe(inventory) ?? []) live.set(o.key, o);
  }
  return plan.changes.map((change) => {
    const sides = objectSides(change, live.get(change.key), normalizeSpec, secretHash);
    return { change, live: objectYaml(sides.live), desired: objectYaml(sides.desired) };
  });
}

/** The unified diffs, one per object in apply order; exit 1 when there are changes, as `diff` exits. */
export function writeUnifiedDiffs(diffs: readonly ObjectDiff[], colour: boolean): number {
  // One write, as the other outputs: a reader that stops early (`| head`) then ends the process quietly.
  process.stdout.write(diffs.map((d) => unifiedObjectDiff(changeName(d.change), d.live, d.desired, colour)).join(''));
  return diffs.length ? 1 : 0;
}

/** kubectl's file name for an object: `<group>.<version>.<Kind>.<namespace>.<name>` (`v1.Secret.team-a.db`, `v1.Namespace..team-a`). */
export function kubectlFileName(change: Pick<Change, 'apiVersion' | 'kind' | 'namespace' | 'name'>): string {
  const slash = change.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : `${change.apiVersion.slice(0, slash)}.`;
  return `${group}${change.apiVersion.slice(slash + 1)}.${change.kind}.${change.namespace}.${change.name}`;
}

/** kubectl passes on an argument of KUBECTL_EXTERNAL_DIFF made of these characters only. */
const SAFE_ARGUMENT = /^[a-zA-Z0-9-=]+$/;

/**
 * Runs `command` (KUBECTL_EXTERNAL_DIFF: a program and its flags) on a LIVE and a MERGED temp
 * directory holding one file per changed object (empty where the object does not exist). Its exit
 * code 0 or 1 is pacific's; any other, a signal or a program that cannot start is an error (2).
 */
export function runExternalDiff(command: string, diffs: readonly ObjectDiff[]): number {
  const [program, ...flags] = command.trim().split(/\s+/);
  const args: string[] = [];
  for (const flag of flags) {
    if (SAFE_ARGUMENT.test(flag)) args.push(flag);
    else process.stderr.write(`warning: KUBECTL_EXTERNAL_DIFF argument ${JSON.stringify(flag)} is ignored: only letters, digits, dash and equals are allowed\n`);
  }
  const live = mkdtempSync(join(tmpdir(), 'LIVE-'));
  const merged = mkdtempSync(join(tmpdir(), 'MERGED-'));
  try {
    for (const d of diffs) {
      const name = kubectlFileName(d.change);
      writeFileSync(join(live, name), d.live, { mode: 0o600 });
      writeFileSync(join(merged, name), d.desired, { mode: 0o600 });
    }
    // As kubectl: the two directories, then the flags.
    const run = spawnSync(program!, [live, merged, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (run.status === 0 || run.status === 1) return run.status;
    const why = run.error ? run.error.message : run.signal ? `killed by ${run.signal}` : `exit status ${run.status}`;
    process.stderr.write(`error: failed to run ${JSON.stringify(program)}: ${why}\n`);
    return 2;
  } finally {
    rmSync(live, { recursive: true, force: true });
    rmSync(merged, { recursive: true, force: true });
  }
}
