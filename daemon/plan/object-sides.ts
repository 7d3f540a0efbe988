/**
 * The two sides of a change as Kubernetes objects, for `pacific diff -o diff`: the object as the
 * inventory holds it and as the revision declares it, as `kubectl diff` shows the live object and
 * the server's dry run. Both specs are in canonical form (defaults filled, quantities spelled one
 * way) as an API server returns them, so a spelling is never shown as a change; what a kind
 * compares beyond the stored object (a VM's real power state, its placement) is written onto both
 * sides from the change's fields. A Secret's values are masked as kubectl masks them.
 */
import type { StoredObject } from '../inventory/model/stored-object.js';
import { storedObject, type Change, type FieldChange, type ObservedObject, type PlanContext } from './contract.js';
import { holdsSecretValue, maskSecretData, type SecretHash } from './secret-values.js';

export type KubeDocument = Record<string, unknown>;

/** Absent on the side where the object does not exist (live of a create, desired of a delete). */
export interface ObjectSides {
  readonly live?: KubeDocument;
  readonly desired?: KubeDocument;
}

function document(object: StoredObject, normalizeSpec: PlanContext['normalizeSpec']): KubeDocument {
  const metadata = {
    name: object.name,
    ...(object.namespace ? { namespace: object.namespace } : {}),
    ...(object.labels ? { labels: object.labels } : {}),
    ...(object.annotations ? { annotations: object.annotations } : {}),
  };
  const spec = object.spec === undefined ? undefined : normalizeSpec(object.apiVersion, object.kind, object.spec);
  // A copy: the fields are written onto it, and the stored object belongs to the inventory.
  return structuredClone({ ...object.extra, apiVersion: object.apiVersion, kind: object.kind, metadata, ...(spec !== undefined ? { spec } : {}) });
}

type Step = { key: string } | { select: [string, string][] };

/** `spec.interfaces[name=eth0].network`, `metadata.labels["app.kubernetes.io/name"]` → steps; undefined when the path does not parse. */
function steps(path: string): Step[] | undefined {
  const out: Step[] = [];
  let rest = path;
  while (rest) {
    const name = /^\.?([A-Za-z_][\w-]*)/.exec(rest);
    const quoted = name ? undefined : /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
    const selector = name || quoted ? undefined : /^\[([^\]"]+)\]/.exec(rest);
    if (name) out.push({ key: name[1]! });
    else if (quoted) out.push({ key: JSON.parse(quoted[1]!) as string });
    else if (selector) {
      const pairs = selector[1]!.split(',').map((p) => p.split('=', 2) as [string, string]);
      if (pairs.some((p) => p.length !== 2)) return undefined;
      out.push({ select: pairs });
    } else return undefined;
    rest = rest.slice((name ?? quoted ?? selector)![0].length);
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Writes `value` at `path` in `doc` where the path leads to a place the document has (a `status`
 * section is made): a field the kind compares but the object does not hold is not invented in it.
 */
function writeField(doc: KubeDocument, path: string, value: unknown): void {
  const route = steps(path);
  if (!route?.length) return;
  // What the kind observes of the real thing (`status.hardware.cpus`) has no place in the stored object yet.
  const grows = 'key' in route[0]! && route[0].key === 'status';
  let at: unknown = doc;
  for (const [i, step] of route.entries()) {
    const last = i === route.length - 1;
    if ('key' in step) {
      if (!isObject(at)) return;
      if (last) at[step.key] = value;
      else if (at[step.key] === undefined && grows) at[step.key] = {};
      at = at[step.key];
    } else {
      if (!Array.isArray(at)) return;
      const index = at.findIndex((item) => isObject(item) && step.select.every(([k, v]) => String(item[k]) === v));
      if (index < 0) return;
      if (last) at[index] = value;
      at = at[index];
    }
  }
}

function writeFields(doc: KubeDocument | undefined, fields: readonly FieldChange[], side: 'from' | 'to'): void {
  if (!doc) return;
  for (const field of fields) if (side in field) writeField(doc, field.path, field[side]);
}

/** The live and desired documents of `change`; `live` is the observed object it was planned against. */
export function objectSides(change: Change, live: ObservedObject | undefined, normalizeSpec: PlanContext['normalizeSpec'], secretHash?: SecretHash): ObjectSides {
  const liveDoc = change.action === 'create' || !live ? undefined : document(live.object, normalizeSpec);
  const desiredDoc = change.action === 'delete' || !change.desired ? undefined : document(storedObject(change.desired), normalizeSpec);
  // A Secret's value fields are masked in the plan already; the documents hold the values, masked below.
  const fields = change.group === '' && change.kind === 'Secret' ? change.fields.filter((f) => !holdsSecretValue(f.path)) : change.fields;
  writeFields(liveDoc, fields, 'from');
  writeFields(desiredDoc, fields, 'to');
  maskSecretData(change.group, change.kind, liveDoc, desiredDoc, secretHash);
  return { ...(liveDoc ? { live: liveDoc } : {}), ...(desiredDoc ? { desired: desiredDoc } : {}) };
}
