/**
 * Field path → line and column inside a document. Only called for documents that have a problem,
 * so the slower but position-keeping `yaml` parser never runs on the happy path.
 */
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';
import type { ParsedDocument } from './types.js';

export type PathSegment = string | number;

/** The position of the deepest node of `path` that exists in the document (1-based). */
export function locateField(doc: Pick<ParsedDocument, 'text' | 'firstLine'>, path: readonly PathSegment[]): { line: number; column: number } {
  const lines = new LineCounter();
  const parsed = parseDocument(doc.text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  let node: unknown = parsed.contents;
  let offset = (parsed.contents as Node | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment));
      if (!pair) break;
      offset = (pair.key as Node | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment];
      offset = (node as Node).range?.[0] ?? offset;
    } else {
      break;
    }
  }
  const pos = lines.linePos(offset);
  return { line: doc.firstLine + pos.line - 1, column: pos.col };
}

/** `['spec','ports',0,'name']` → `spec.ports[0].name`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}

/** `/spec/ports/0/name` (a JSON pointer, as ajv reports) → path segments; array indices become numbers. */
export function parsePointer(pointer: string, value: unknown): PathSegment[] {
  const segments: PathSegment[] = [];
  let node: unknown = value;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = Number(key);
      segments.push(index);
      node = node[index];
    } else {
      segments.push(key);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return segments;
}
