/**
 * The prune bound: a revision whose plan would delete more than a share (or a count) of the
 * objects pacific created is held, whole, until someone confirms that revision. Pure: a function
 * of the plan, the ownership records, the limit and the confirmed revision.
 *
 * Argo CD's automated sync refuses a revision that would leave an application with no resources
 * (`allowEmpty: false`); pacific bounds the share, so an emptied folder, a broken generator or a
 * push of the wrong branch cannot delete most of an inventory on its own.
 */
import { displayName } from '../manifests/types.js';
import type { Ownership } from './planner.js';
import type { Plan } from './types.js';

/** `off`, more than `percent`% of the created objects, or more than `count` objects. */
export type PruneLimit = { readonly kind: 'off' } | { readonly kind: 'share'; readonly percent: number } | { readonly kind: 'count'; readonly count: number };

/**
 * More than half: routine commits (a retired VM, a renamed file, a team's folder removed) delete a
 * minority of what pacific created; a commit that deletes most of it is far more often an accident
 * than intent, and confirming a real one costs one request.
 */
export const DEFAULT_PRUNE_LIMIT = '50%';

/** A held revision: what it would delete, out of how many objects pacific created. */
export interface PruneHold {
  readonly revision: string;
  /** Declared objects the plan deletes (derived ones, a Deployment's pods, follow their owner). */
  readonly deletes: number;
  /** Declared objects pacific created and could prune. */
  readonly managed: number;
  /** `deletes / managed`, 0..1. */
  readonly share: number;
  /** The limit as given (`50%`, `100`). */
  readonly limit: string;
  /** The first objects it would delete, `Kind/namespace/name`. */
  readonly examples: readonly string[];
}

/** Parses `--max-prune`: `50%`, `20` (objects), `0` or `off` (no bound). Throws on anything else. */
export function parsePruneLimit(text: string): PruneLimit {
  const value = text.trim();
  if (value === 'off' || value === '0' || value === '0%') return { kind: 'off' };
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(value);
  if (percent) {
    const p = Number(percent[1]);
    if (p > 0 && p <= 100) return p === 100 ? { kind: 'off' } : { kind: 'share', percent: p };
  } else if (/^\d+$/.test(value)) return { kind: 'count', count: Number(value) };
  throw new Error(`--max-prune ${text}: expected a percentage (50%), a number of objects (20), or off`);
}

export function formatPruneLimit(limit: PruneLimit): string {
  switch (limit.kind) {
    case 'off':
      return 'off';
    case 'share':
      return `${limit.percent}%`;
    case 'count':
      return String(limit.count);
  }
}

/**
 * The hold of a plan, or undefined when it may run: the bound is off, the plan deletes within it,
 * or this very revision was confirmed. Releases (objects pacific adopted) delete nothing and a
 * refused delete does not happen, so neither counts.
 */
export function pruneHold(plan: Plan, ownership: ReadonlyMap<string, Ownership>, limit: PruneLimit, confirmedRevision?: string): PruneHold | undefined {
  if (limit.kind === 'off' || confirmedRevision === plan.revision) return undefined;
  const deletes = plan.changes.filter((c) => c.action === 'delete' && !c.release && !c.owner && c.admission.allowed);
  if (!deletes.length) return undefined;
  const derived = new Set([...plan.objects.filter((o) => o.owner).map((o) => o.key), ...plan.changes.filter((c) => c.owner).map((c) => c.key)]);
  let managed = 0;
  for (const [key, origin] of ownership) if (origin === 'created' && !derived.has(key)) managed++;
  const share = managed ? deletes.length / managed : 1;
  const over = limit.kind === 'share' ? share * 100 > limit.percent : deletes.length > limit.count;
  if (!over) return undefined;
  return {
    revision: plan.revision,
    deletes: deletes.length,
    managed,
    share,
    limit: formatPruneLimit(limit),
    examples: deletes.slice(0, 3).map((c) => displayName(c.kind, c.namespace, c.name)),
  };
}

/** The Ready message of a held revision: counts, share, limit, and how to go on. */
export function pruneHoldMessage(hold: PruneHold, lastApplied: string | undefined): string {
  const short = (r: string) => r.slice(0, 12);
  const more = hold.deletes > hold.examples.length ? `, … (${hold.deletes - hold.examples.length} more)` : '';
  return (
    `revision ${short(hold.revision)} would delete ${hold.deletes} of ${hold.managed} object(s) pacific created (${Math.round(hold.share * 100)}%), ` +
    `more than --max-prune ${hold.limit}: held, nothing of it is applied; ${lastApplied ? `revision ${short(lastApplied)}` : 'the last applied revision'} stays applied. ` +
    `It would delete ${hold.examples.join(', ')}${more}. To apply it, POST /prune/confirm {"revision":"${hold.revision}"} with the token; or push a commit that deletes less.`
  );
}

/** What `pacific diff` says of a plan over the bound: the daemon would hold it, and how to go on. */
export function pruneHoldNotice(hold: PruneHold): string {
  const more = hold.deletes > hold.examples.length ? `, … (${hold.deletes - hold.examples.length} more)` : '';
  return (
    `Held by the prune bound: this plan deletes ${hold.deletes} of ${hold.managed} object(s) pacific created (${Math.round(hold.share * 100)}%), more than --max-prune ${hold.limit} ` +
    `(${hold.examples.join(', ')}${more}). Once pushed, the daemon applies nothing of it until POST /prune/confirm names the revision.`
  );
}
