/** `pacific status`: the source, its revisions and conditions, whether it is suspended, and health per namespace. */
import type { Condition } from '../plan/contract.js';
import type { HealthCounts } from '../server/health.js';
import { fetchJson, resolveConnection, type ConnectionOptions } from './client.js';
import { document, table } from './output.js';

export interface StatusOptions extends ConnectionOptions {
  readonly output?: 'text' | 'json' | 'yaml';
}

export interface Summary {
  source: { repo: string; branch: string; headRevision: string | null };
  lastAppliedRevision: string | null;
  lastAttemptedRevision: string | null;
  conditions: Condition[];
  suspended?: { since: string; by: string; reason?: string } | null;
  pruneHold?: { revision: string; deletes: number; managed: number };
  health: HealthCounts;
  namespaces: (HealthCounts & { name: string })[];
}

export function renderSummary(s: Summary): string {
  const counts = (h: HealthCounts) => `${h.total} object(s): ${h.ready} ready, ${h.progressing} progressing, ${h.degraded} degraded, ${h.waiting} waiting`;
  const lines = [
    `Source:      ${s.source.repo} (branch ${s.source.branch})`,
    `Head:        ${s.source.headRevision ?? '<none>'}`,
    `Applied:     ${s.lastAppliedRevision ?? '<none>'}`,
    `Attempted:   ${s.lastAttemptedRevision ?? '<none>'}`,
    `Suspended:   ${s.suspended ? `True (since ${s.suspended.since} by ${s.suspended.by}${s.suspended.reason ? `: ${s.suspended.reason}` : ''})` : 'False'}`,
    ...(s.pruneHold ? [`Prune held:  ${s.pruneHold.revision} would delete ${s.pruneHold.deletes} of ${s.pruneHold.managed} (pacific prune confirm ${s.pruneHold.revision})`] : []),
    `Health:      ${s.health.health} (${counts(s.health)})`,
    'Conditions:',
  ];
  const conditions = table(['TYPE', 'STATUS', 'REASON', 'MESSAGE'], s.conditions.map((c) => [c.type, c.status, c.reason, c.message]));
  const namespaces = table(['NAMESPACE', 'HEALTH', 'OBJECTS', 'READY', 'PROGRESSING', 'DEGRADED', 'WAITING'], s.namespaces.map((n) => [n.name, n.health, String(n.total), String(n.ready), String(n.progressing), String(n.degraded), String(n.waiting)]));
  return `${lines.join('\n')}\n${conditions.replace(/^(?=.)/gm, '  ')}\n${namespaces}`;
}

export async function statusCommand(options: StatusOptions, out: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const summary = await fetchJson<Summary>(resolveConnection(options), 'GET', '/status/summary');
  out(options.output === 'json' || options.output === 'yaml' ? document(summary, options.output) : renderSummary(summary));
  return 0;
}
