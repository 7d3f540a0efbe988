/**
 * TypeScript types from the JSON Schemas the DSL builds, so code reads a validated spec through the
 * same definition ajv checked it against. The DSL's vocabulary is small (objects, maps, lists,
 * scalars, enums, consts, int-or-string, preserve-unknown-fields), so this walks it directly:
 * every type is readonly (nothing re-checks a shape after validation, so nothing may change one).
 */
import type { Schema } from './builders.js';

/** The TypeScript type of values `schema` accepts, written at `indent` (for nested object members). */
export function typeOf(schema: Schema, indent = ''): string {
  if ('const' in schema) return JSON.stringify(schema['const']);
  const enumValues = schema['enum'] as unknown[] | undefined;
  if (enumValues) return enumValues.map((v) => JSON.stringify(v)).join(' | ');
  if (schema['x-kubernetes-int-or-string']) return 'number | string';
  switch (schema['type']) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return arrayOf(schema['items'] as Schema | undefined, indent);
    case 'object':
      return objectOf(schema, indent);
    default:
      // No type: a free-form value kept as written (`x-kubernetes-preserve-unknown-fields`).
      return 'unknown';
  }
}

function arrayOf(items: Schema | undefined, indent: string): string {
  const item = items ? typeOf(items, indent) : 'unknown';
  // A union or a nested list is parenthesized: `readonly (number | string)[]`, `readonly (readonly string[])[]`.
  return (/[|&]/.test(item) && !item.startsWith('{')) || item.startsWith('readonly ') ? `readonly (${item})[]` : `readonly ${item}[]`;
}

function objectOf(schema: Schema, indent: string): string {
  const properties = schema['properties'] as Record<string, Schema> | undefined;
  const additional = schema['additionalProperties'];
  const open = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const inner = `${indent}  `;
  const members: string[] = [];
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  for (const [name, property] of Object.entries(properties ?? {})) {
    const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
    members.push(`${inner}readonly ${key}${required.has(name) ? '' : '?'}: ${typeOf(property, inner)};`);
  }
  // A map's values, or the fields an open object keeps as written, beside any named ones.
  if (additional && typeof additional === 'object') {
    // Beside named fields the index type would have to cover theirs too: keep it unknown there.
    members.push(`${inner}readonly [key: string]: ${members.length ? 'unknown' : typeOf(additional as Schema, inner)};`);
  } else if (open || (!properties && additional !== false)) {
    members.push(`${inner}readonly [key: string]: unknown;`);
  }
  return members.length ? `{\n${members.join('\n')}\n${indent}}` : '{ readonly [key: string]: never }';
}
