/** A plan as people read it (`pacific diff`), as programs read it (`-o json`), and as a unified diff (`-o diff`). */
import { structuredPatch } from 'diff';
import { dump } from 'js-yaml';
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

/** An object's document as `kubectl diff` writes it: keys sorted, no line folded, so no value is cut short. */
export function objectYaml(doc: Record<string, unknown> | undefined): string {
  return doc ? dump(doc, { lineWidth: -1, noRefs: true, sortKeys: true }) : '';
}

/** Terminal colours of a unified diff, as git's defaults. */
const PAINT = { header: '\x1b[1m', hunk: '\x1b[36m', removed: '\x1b[31m', added: '\x1b[32m', reset: '\x1b[0m' };

/** `@@ -l,s +l,s @@` as diff(1) writes a range: an empty one starts at the line before, a count of 1 is left out. */
function range(start: number, lines: number): string {
  return `${lines === 0 ? start - 1 : start}${lines === 1 ? '' : `,${lines}`}`;
}

/**
 * One object's unified diff, as `diff -u -N live/<name> desired/<name>` prints it, `<name>` being
 * `Kind/namespace/name`; an absent side is the empty file. Empty when both sides read the same.
 */
export function unifiedObjectDiff(name: string, live: string, desired: string, colour = false): string {
  const patch = structuredPatch(`live/${name}`, `desired/${name}`, live, desired, '', '', { context: 3 });
  if (!patch.hunks.length) return '';
  const paint = (code: string, line: string) => (colour ? `${code}${line}${PAINT.reset}` : line);
  const out = [`diff -u -N live/${name} desired/${name}`, `--- live/${name}`, `+++ desired/${name}`].map((l) => paint(PAINT.header, l));
  for (const hunk of patch.hunks) {
    out.push(paint(PAINT.hunk, `@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`));
    for (const line of hunk.lines) out.push(line.startsWith('-') ? paint(PAINT.removed, line) : line.startsWith('+') ? paint(PAINT.added, line) : line);
  }
  return out.join('\n') + '\n';
}

/** `Kind/namespace/name` of a change, the header of its diff. */
export function changeName(change: Change): string {
  return displayName(change.kind, change.namespace, change.name);
}
