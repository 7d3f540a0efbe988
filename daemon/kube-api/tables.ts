/**
 * `meta.k8s.io/v1` Tables, as kubectl asks for them (`Accept: application/json;as=Table;…`): the
 * resource's printer columns, one row per object with its cells rendered by the server (ages as
 * "5d") and the object as PartialObjectMetadata (kubectl needs it for -A, --show-labels, -L), the
 * whole object (`includeObject=Object`, for --sort-by) or nothing (`None`).
 */
import { columnsOf, type Column } from './columns.js';
import type { ResourceType } from './resources.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Whether an Accept header asks for a Table. */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && accept.split(',')[0]!.includes('as=Table');
}

export function includeObjectOf(value: string | null): IncludeObject {
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

export function columnDefinitions(columns: readonly Column[]): unknown[] {
  return columns.map((c) => ({
    name: c.name,
    type: c.type === 'date' ? 'string' : c.type,
    format: c.name === 'Name' ? 'name' : '',
    description: c.description ?? (c.type === 'date' ? 'CreationTimestamp is a timestamp representing the server time when this object was created.' : `${c.name} of the object`),
    priority: c.priority ?? 0,
  }));
}

/** One row of an object rendered at its version. */
export function tableRow(columns: readonly Column[], object: Record<string, unknown>, version: string, include: IncludeObject, now: number): unknown {
  const cells = columns.map((c) => c.cell(object, version, now) ?? null);
  if (include === 'None') return { cells };
  const row = include === 'Object' ? object : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object['metadata'] };
  return { cells, object: row };
}

export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/** The columns of a resource at a version. */
export function tableColumns(r: ResourceType, version: string): Column[] {
  return columnsOf(r.group, r.kind, version);
}
