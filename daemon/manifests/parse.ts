/**
 * Files → documents. Splits a file at YAML document markers so that each document keeps its own
 * line, and one broken document never hides the others. js-yaml parses (6× faster than `yaml`)
 * with scalars read as Kubernetes reads them (`./kubernetes-yaml.ts`); every document is bounded by
 * `ManifestLimits` before and after parsing, and nothing it contains can make this throw.
 */
import yaml from 'js-yaml';
import { documentSizeProblem, parserDepth, shapeProblem } from './limits.js';
import { DEFAULT_MANIFEST_LIMITS, type ManifestLimits } from '../base/input-limits.js';
import { formatPath, locateField } from './locate.js';
import { KUBERNETES_YAML_SCHEMA, mappingKeyChecker, type KeyProblem } from './kubernetes-yaml.js';
import type { Diagnostic, DiagnosticCode, ParsedDocument } from './types.js';

export { scalarHint } from './kubernetes-yaml.js';

const DOCUMENT_START = /^---(?=[ \t]|$)/;
const DOCUMENT_END = /^\.\.\.(?=[ \t]|$)/;
/** Characters YAML does not allow in a stream (c-printable), as go-yaml refuses them: C0 and C1 controls but tab, LF, CR and NEL; U+FFFE, U+FFFF. */
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/;

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

/** 0-based line and column of an offset in `text`. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start };
}

function codePoint(char: string): string {
  return 'U+' + char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
}

/** What a js-yaml error means for the person who wrote the document, and where it points (0-based in `body`). */
function explainYamlError(err: yaml.YAMLException, body: string, depthLimit: number): { code: DiagnosticCode; line: number; column: number; message: string } {
  const reason = err.reason ?? err.message;
  const line = err.mark?.line ?? 0;
  const column = err.mark?.column ?? 0;
  const lineText = body.split('\n', line + 1)[line] ?? '';
  if (reason.startsWith('nesting exceeded maxDepth')) {
    return { code: 'LimitExceeded', line, column, message: `more than ${depthLimit} levels of nesting (limit maxDepth): not parsed further` };
  }
  if (reason === 'tab characters must not be used in indentation') {
    const tab = lineText.search(/\t/);
    return { code: 'YAMLSyntax', line, column: tab < 0 ? column : tab, message: 'tabs are not allowed for indentation; indent with spaces' };
  }
  if (reason === 'duplicated mapping key') {
    const key = /^\s*("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s:#,{}[\]][^:#,{}[\]]*?)\s*:(?:\s|$)/.exec(lineText.slice(column));
    const name = key ? key[1]! : undefined;
    return { code: 'YAMLSyntax', line, column, message: name ? `duplicate key ${name}: a mapping may name each key once` : 'duplicate key: a mapping may name each key once' };
  }
  return { code: 'YAMLSyntax', line, column, message: `YAML syntax error: ${reason}` };
}

/** Parses every document of one manifest file; problems become diagnostics with file:line:column, never exceptions. */
export function parseManifestFile(file: string, text: string, limits: ManifestLimits = DEFAULT_MANIFEST_LIMITS): ParsedFile {
  const documents: ParsedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const refuse = (code: DiagnosticCode, line: number, column: number, message: string, path?: string) =>
    diagnostics.push({ severity: 'error', code, file, line, column, ...(path ? { path } : {}), message });
  const maxDepth = parserDepth(limits);
  for (const chunk of splitDocuments(text.replace(/^\uFEFF/, ''))) {
    const body = chunk.lines.join('\n');
    if (body.trim() === '') continue;
    const line = firstContentLine(chunk);
    const tooBig = documentSizeProblem(body, limits);
    if (tooBig) {
      refuse('LimitExceeded', line, 1, tooBig);
      continue;
    }
    const control = NON_PRINTABLE.exec(body);
    if (control) {
      const at = lineAndColumn(body, control.index);
      const message =
        control[0] === '\0'
          ? 'a NUL byte (U+0000) is not allowed in YAML: is this a binary or UTF-16 file?'
          : `control character ${codePoint(control[0])} is not allowed in YAML; inside a double-quoted string write it as the escape "\\u${codePoint(control[0]).slice(2)}"`;
      refuse('ControlCharacter', chunk.firstLine + at.line, at.column + 1, message);
      continue;
    }
    const keys: KeyProblem[] = [];
    let value: unknown;
    try {
      value = yaml.load(body, { schema: KUBERNETES_YAML_SCHEMA, filename: file, maxDepth, listener: mappingKeyChecker(keys) } as yaml.LoadOptions);
    } catch (err) {
      if (err instanceof yaml.YAMLException) {
        const e = explainYamlError(err, body, limits.maxDepth);
        refuse(e.code, chunk.firstLine + e.line, e.column + 1, e.message);
      } else if (err instanceof RangeError) {
        refuse('LimitExceeded', line, 1, `too large or too deeply nested to parse (${err.message})`);
      } else {
        refuse('YAMLSyntax', line, 1, `YAML could not be read: ${err instanceof Error ? err.message : String(err)}`);
      }
      continue;
    }
    for (const k of keys) refuse('NonStringKey', chunk.firstLine + k.line, k.column + 1, k.message);
    if (keys.length || value === null || value === undefined) continue; // only comments: nothing declared
    const doc: ParsedDocument = { file, index: documents.length, line, firstLine: chunk.firstLine, text: body, value };
    const shape = shapeProblem(value, limits, body.includes('*'));
    if (shape) {
      const at = shape.path.length ? locateField(doc, shape.path) : { line, column: 1 };
      refuse('LimitExceeded', at.line, at.column, shape.message, formatPath(shape.path));
      continue;
    }
    documents.push(doc);
  }
  return { documents, diagnostics };
}

/** A file refused before parsing: where the first bad byte is, and why. */
export interface EncodingProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Lead byte → count of continuation bytes and the range of the first one (no overlongs, no surrogates).
    const [n, lo, hi] =
      b >= 0xc2 && b <= 0xdf ? [1, 0x80, 0xbf]
      : b === 0xe0 ? [2, 0xa0, 0xbf]
      : b === 0xed ? [2, 0x80, 0x9f]
      : b >= 0xe1 && b <= 0xef ? [2, 0x80, 0xbf]
      : b === 0xf0 ? [3, 0x90, 0xbf]
      : b === 0xf4 ? [3, 0x80, 0x8f]
      : b >= 0xf1 && b <= 0xf3 ? [3, 0x80, 0xbf]
      : [0, 0, 0];
    if (n === 0 || i + n >= bytes.length) return i;
    const first = bytes[i + 1]!;
    if (first < lo || first > hi) return i;
    for (let k = 2; k <= n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

/**
 * Bytes → text: strict UTF-8, a UTF-8 byte-order mark dropped. A UTF-16 or UTF-32 file (by its
 * byte-order mark) and bytes that are not UTF-8 are refused with the offset, line and column of
 * the first bad byte. Only the failure path looks further than one `TextDecoder` call.
 */
export function decodeManifest(bytes: Uint8Array): { text: string } | { problem: EncodingProblem } {
  const bom =
    bytes[0] === 0xff && bytes[1] === 0xfe ? (bytes[2] === 0 && bytes[3] === 0 ? 'UTF-32 LE (FF FE 00 00)' : 'UTF-16 LE (FF FE)')
    : bytes[0] === 0xfe && bytes[1] === 0xff ? 'UTF-16 BE (FE FF)'
    : bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff ? 'UTF-32 BE (00 00 FE FF)'
    : undefined;
  if (bom) {
    const width = bom.startsWith('UTF-32') ? 'UTF-32' : 'UTF-16';
    return { problem: { line: 1, column: 1, message: `file starts with a ${bom} byte-order mark: ${width} is not supported; save it as UTF-8` } };
  }
  const text = decodeUtf8(bytes);
  if (text !== undefined) return { text };
  const offset = firstInvalidUtf8(bytes);
  const at = Math.max(offset, 0);
  let lineStart = 0;
  let line = 1;
  for (let i = 0; i < at; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(lineStart, at)).replace(/^\uFEFF/, '').length + 1;
  const shown = Array.from(bytes.subarray(at, at + 4), (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
  return { problem: { line, column, message: `file is not valid UTF-8: bad byte sequence ${shown} at byte offset ${at} (line ${line}, column ${column}); save it as UTF-8` } };
}

/** Decodes bytes as strict UTF-8 (a BOM is dropped); undefined when the bytes are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
