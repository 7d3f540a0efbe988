/**
 * Files → documents. Splits a file at YAML document markers so that each document keeps its own
 * line, and one broken document never hides the others. js-yaml parses (6× faster than `yaml`);
 * the schema is YAML 1.2 core plus merge keys, as sigs.k8s.io/yaml yields JSON: timestamps stay strings.
 */
import yaml from 'js-yaml';
import type { Diagnostic, ParsedDocument } from './types.js';

// js-yaml exports its built-in types at runtime; @types/js-yaml does not declare them.
const { merge } = (yaml as unknown as { types: { merge: yaml.Type } }).types;
const MANIFEST_SCHEMA = yaml.CORE_SCHEMA.extend([merge]);

const DOCUMENT_START = /^---(?=[ \t]|$)/;
const DOCUMENT_END = /^\.\.\.(?=[ \t]|$)/;

export interface ParsedFile {
  readonly documents: ParsedDocument[];
  readonly diagnostics: Diagnostic[];
}

interface Chunk {
  firstLine: number;
  lines: string[];
}

/** Splits YAML text at `---`/`...` lines (a marker at column 0 ends even a block scalar, per YAML 1.2). */
function splitDocuments(text: string): Chunk[] {
  const lines = text.split(/\r?\n/);
  const chunks: Chunk[] = [];
  let current: Chunk = { firstLine: 1, lines: [] };
  lines.forEach((line, i) => {
    if (DOCUMENT_START.test(line)) {
      if (current.lines.length) chunks.push(current);
      // Keep what follows the marker on its line, at its column.
      current = { firstLine: i + 1, lines: ['   ' + line.slice(3)] };
    } else if (DOCUMENT_END.test(line)) {
      chunks.push(current);
      current = { firstLine: i + 2, lines: [] };
    } else {
      current.lines.push(line);
    }
  });
  if (current.lines.length) chunks.push(current);
  return chunks;
}

function firstContentLine(chunk: Chunk): number {
  const offset = chunk.lines.findIndex((l) => {
    const t = l.trim();
    return t !== '' && !t.startsWith('#') && !t.startsWith('%');
  });
  return chunk.firstLine + Math.max(offset, 0);
}

/** Decodes bytes as strict UTF-8 (a BOM is dropped); undefined when the bytes are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Parses every document of one manifest file; syntax errors become diagnostics with file:line:column. */
export function parseManifestFile(file: string, text: string): ParsedFile {
  const documents: ParsedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const chunk of splitDocuments(text.replace(/^\uFEFF/, ''))) {
    const body = chunk.lines.join('\n');
    if (body.trim() === '') continue;
    try {
      const value = yaml.load(body, { schema: MANIFEST_SCHEMA, filename: file });
      if (value === null || value === undefined) continue; // only comments: nothing declared
      documents.push({ file, index: documents.length, line: firstContentLine(chunk), firstLine: chunk.firstLine, text: body, value });
    } catch (err) {
      const e = err as yaml.YAMLException;
      diagnostics.push({
        severity: 'error',
        code: 'YAMLSyntax',
        file,
        line: chunk.firstLine + (e.mark?.line ?? 0),
        column: (e.mark?.column ?? 0) + 1,
        message: `YAML syntax error: ${e.reason ?? e.message}`,
      });
    }
  }
  return { documents, diagnostics };
}
