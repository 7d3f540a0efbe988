/** A plan as people read it (`pacific diff`) and as programs read it (`-o json`). */
import { displayName } from '../manifests/types.js';
import type { Change, FieldChange } from './contract.js';
import type { Plan } from './types.js';

const MARK: Record<Change['action'], string> = { create: '+', update: '~', delete: '-' };
const MAX_VALUE = 72;

function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? 'null';
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function fieldLine(field: FieldChange, action: Change['action']): string {
  if (action === 'create' || !('from' in field)) return `    ${field.path}: ${show(field.to)}`;
  if (!('to' in field)) return `    ${field.path}: ${show(field.from)} → (removed)`;
  return `    ${field.path}: ${show(field.from)} → ${show(field.to)}`;
}

function admissionLines(change: Change): string[] {
  const { admission } = change;
  const lines: string[] = [];
  if (!admission.allowed) lines.push(`    ✗ refused (${admission.reason ?? 'Invalid'}): ${admission.message ?? ''}`);
  else if (admission.placement) lines.push(`    ✓ placed on host ${admission.placement.host}${admission.placement.datastore ? `, datastore ${admission.placement.datastore}` : ''}`);
  for (const note of admission.notes ?? []) lines.push(`    · ${note}`);
  for (const warning of admission.warnings ?? []) lines.push(`    ! ${warning}`);
  return lines;
}

/** Text plan: changes in apply order, one `+`/`~`/`-` line per object, then its fields and verdict. */
export function renderPlanText(plan: Plan): string {
  const out: string[] = [`Plan for revision ${plan.revision}`];
  let kind = '';
  for (const change of plan.changes) {
    const heading = change.action === 'delete' ? `${change.kind} (prune)` : change.kind;
    if (heading !== kind) {
      out.push('', heading);
      kind = heading;
    }
    const where = change.owner ? `  (from ${change.owner})` : change.source ? `  (${change.source.file}:${change.source.line})` : '';
    const drift = change.drift ? '  [drift]' : '';
    out.push(`${MARK[change.action]} ${displayName(change.kind, change.namespace, change.name)}${where}${drift}`);
    // A derived object's creation is its owner's change: its fields would only repeat the owner's.
    if (!(change.owner && change.action === 'create')) for (const field of change.fields) out.push(fieldLine(field, change.action));
    out.push(...admissionLines(change));
  }
  const refused = plan.changes.filter((c) => !c.admission.allowed).length;
  const s = plan.summary;
  out.push('', `${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.unchanged} unchanged${refused ? `; ${refused} refused by admission` : ''}.`);
  return out.join('\n') + '\n';
}

/** The `-o json` document. */
export function planJson(plan: Plan): unknown {
  return {
    revision: plan.revision,
    changes: plan.changes.map((c) => ({
      action: c.action,
      apiVersion: c.apiVersion,
      kind: c.kind,
      namespace: c.namespace,
      name: c.name,
      ...(c.source ? { source: { file: c.source.file, line: c.source.line } } : {}),
      ...(c.drift ? { drift: true } : {}),
      ...(c.owner ? { owner: c.owner } : {}),
      fields: c.fields.map((f) => ({ path: f.path, ...('from' in f ? { from: f.from } : {}), ...('to' in f ? { to: f.to } : {}) })),
      admission: {
        allowed: c.admission.allowed,
        ...(c.admission.reason ? { reason: c.admission.reason } : {}),
        ...(c.admission.message ? { message: c.admission.message } : {}),
        ...(c.admission.placement ? { placement: c.admission.placement } : {}),
        ...(c.admission.notes?.length ? { notes: c.admission.notes } : {}),
        ...(c.admission.warnings?.length ? { warnings: c.admission.warnings } : {}),
      },
    })),
    summary: plan.summary,
  };
}
