/**
 * How much one manifest file may ask of the loader. A repo is untrusted input: a file can be huge,
 * nest without end, or expand through YAML aliases into billions of values ("billion laughs") that
 * js-yaml shares but validation, `JSON.stringify` and the store would walk one by one. The checks
 * are cheap: sizes before parsing, one walk over what the parser built (shared nodes sized once).
 */
import { grouped, type ManifestLimits } from '../base/input-limits.js';
import type { PathSegment } from './locate.js';

/**
 * Bumped whenever the same bytes may parse or be judged differently (2: YAML 1.1 scalars, limits,
 * key checks; 3: one message for a mistyped value; 4: .inf and .nan refused; 5: a file directly
 * under the tenant root refused, tenant objects marked).
 */
const PARSER_REVISION = 5;

/**
 * Identifies how files are parsed and bounded: a verdict cached under another fingerprint (parsed
 * files kept across restarts) may differ and must be recomputed.
 */
export function parsingFingerprint(limits: ManifestLimits): string {
  const { maxFileBytes, maxDocumentBytes, maxDepth, maxNodes, maxExpandedChars, maxDiagnosticsPerFile } = limits;
  return `parser-${PARSER_REVISION}/${[maxFileBytes, maxDocumentBytes, maxDepth, maxNodes, maxExpandedChars, maxDiagnosticsPerFile].join('/')}`;
}

/** Why a file is refused before it is decoded, or undefined when its size is within the limit. */
export function fileSizeProblem(size: number, limits: ManifestLimits): string | undefined {
  if (size <= limits.maxFileBytes) return undefined;
  return `file is ${grouped(size)} bytes; the limit is ${grouped(limits.maxFileBytes)} (maxFileBytes): not read`;
}

/** Why a document is refused before it is parsed, or undefined. Counts UTF-8 bytes only when it could matter. */
export function documentSizeProblem(text: string, limits: ManifestLimits): string | undefined {
  // A UTF-16 unit is 1 to 3 UTF-8 bytes (a surrogate pair, 2 units, is 4).
  if (text.length * 3 <= limits.maxDocumentBytes) return undefined;
  const size = Buffer.byteLength(text, 'utf8');
  if (size <= limits.maxDocumentBytes) return undefined;
  return `document is ${grouped(size)} bytes; the limit is ${grouped(limits.maxDocumentBytes)} (maxDocumentBytes): not parsed`;
}

/**
 * The nesting js-yaml may reach before it stops with an error. It counts every node it composes,
 * scalars and sequence entries included (a sequence of mappings costs 1.5 levels a level), so twice
 * the limit lets a document a little too deep parse and be refused by `shapeProblem`, which names
 * the path; anything deeper is refused by js-yaml at a line and column, long before the stack ends.
 */
export function parserDepth(limits: ManifestLimits): number {
  return 2 * limits.maxDepth + 4;
}

/** A document refused for its shape, at a field path (empty for the document as a whole). */
export interface ShapeProblem {
  readonly path: PathSegment[];
  readonly message: string;
}

interface Size {
  readonly nodes: number;
  readonly chars: number;
  readonly height: number;
}

interface Frame {
  readonly node: object;
  readonly keys: string[] | undefined;
  readonly length: number;
  next: number;
  nodes: number;
  chars: number;
  childHeight: number;
}

/** Marks a node whose walk has started and not ended: meeting it again is a cycle. */
const ON_PATH: Size = Object.freeze({ nodes: -1, chars: -1, height: -1 });

function frameOf(node: object): Frame {
  const keys = Array.isArray(node) ? undefined : Object.keys(node);
  return { node, keys, length: keys ? keys.length : (node as unknown[]).length, next: 0, nodes: 0, chars: 0, childHeight: 0 };
}

function sizeProblem(nodes: number, chars: number, limits: ManifestLimits, shared: boolean): ShapeProblem | undefined {
  const expanded = shared ? ' once its aliases are expanded' : '';
  if (nodes > limits.maxNodes) {
    return { path: [], message: `document has more than ${grouped(limits.maxNodes)} values${expanded} (limit maxNodes)${shared ? ': an alias bomb?' : ''}` };
  }
  if (chars > limits.maxExpandedChars) {
    return { path: [], message: `document has more than ${grouped(limits.maxExpandedChars)} characters of keys and strings${expanded} (limit maxExpandedChars)` };
  }
  return undefined;
}

function depthProblem(path: PathSegment[], limits: ManifestLimits, shared: boolean): ShapeProblem {
  return { path, message: `more than ${limits.maxDepth} levels of nesting${shared ? ' once its aliases are expanded' : ''} (limit maxDepth)` };
}

/** Nesting within which a recursive walk is safe on any stack (Node's default holds about 10,000 small frames). */
const RECURSION_SAFE_DEPTH = 1000;

/**
 * Checks depth, value count and characters of a parsed document, aliases expanded, without
 * expanding them. Returns the first problem, or undefined.
 *
 * - `shared` false (the text has no alias, so the value is a tree): one recursive pass, stopped at
 *   `maxDepth`, so it cannot go deeper than the limit.
 * - `shared` true: an iterative walk (no recursion, whatever the depth) that sizes each shared node
 *   once and reuses its size, and refuses a node that contains itself.
 */
export function shapeProblem(root: unknown, limits: ManifestLimits, shared: boolean): ShapeProblem | undefined {
  if (root === null || typeof root !== 'object') return undefined;
  if (!shared && limits.maxDepth <= RECURSION_SAFE_DEPTH) return treeProblem(root, limits);
  return graphProblem(root, limits, shared);
}

function treeProblem(root: object, limits: ManifestLimits): ShapeProblem | undefined {
  let nodes = 1;
  let chars = 0;
  const path: PathSegment[] = []; // filled from the deepest segment while unwinding
  const tooDeep = (node: object, depth: number): boolean => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i];
        nodes++;
        if (typeof child === 'string') chars += child.length;
        else if (child !== null && typeof child === 'object' && (depth === limits.maxDepth || tooDeep(child, depth + 1))) {
          path.push(i);
          return true;
        }
      }
      return false;
    }
    for (const key in node) {
      const child: unknown = (node as Record<string, unknown>)[key];
      nodes++;
      chars += key.length;
      if (typeof child === 'string') chars += child.length;
      else if (child !== null && typeof child === 'object' && (depth === limits.maxDepth || tooDeep(child, depth + 1))) {
        path.push(key);
        return true;
      }
    }
    return false;
  };
  if (tooDeep(root, 1)) return depthProblem(path.reverse(), limits, false);
  return sizeProblem(nodes, chars, limits, false);
}

function graphProblem(root: object, limits: ManifestLimits, shared: boolean): ShapeProblem | undefined {
  const sizes = shared ? new Map<object, Size>() : undefined;
  const path: PathSegment[] = [];
  const stack: Frame[] = [frameOf(root)];
  sizes?.set(root, ON_PATH);
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.next < top.length) {
      const i = top.next++;
      const key: PathSegment = top.keys ? top.keys[i]! : i;
      const child: unknown = top.keys ? (top.node as Record<string, unknown>)[key] : (top.node as unknown[])[i];
      if (top.keys) top.chars += (key as string).length;
      if (child === null || typeof child !== 'object') {
        // Scalars are counted, not checked: the frame is checked when it ends.
        top.nodes += 1;
        if (typeof child === 'string') top.chars += child.length;
        continue;
      }
      const known = sizes?.get(child);
      if (known === ON_PATH) {
        return { path: [...path, key], message: 'this value contains itself through an alias: a recursive document never ends' };
      }
      // A shared node already sized is reused, unless it would end too deep: then it is walked
      // again, so that the problem names the path where the depth is exceeded.
      if (known && stack.length + known.height <= limits.maxDepth) {
        top.nodes += known.nodes;
        top.chars += known.chars;
        top.childHeight = Math.max(top.childHeight, known.height);
        const problem = sizeProblem(top.nodes, top.chars, limits, shared);
        if (problem) return problem;
        continue;
      }
      path.push(key);
      if (stack.length >= limits.maxDepth) return depthProblem(path, limits, shared);
      sizes?.set(child, ON_PATH);
      stack.push(frameOf(child));
      continue;
    }
    stack.pop();
    path.pop();
    const size: Size = { nodes: top.nodes + 1, chars: top.chars, height: top.childHeight + 1 };
    sizes?.set(top.node, size);
    const parent = stack[stack.length - 1];
    if (!parent) return sizeProblem(size.nodes, size.chars, limits, shared);
    parent.nodes += size.nodes;
    parent.chars += size.chars;
    parent.childHeight = Math.max(parent.childHeight, size.height);
    const problem = sizeProblem(parent.nodes, parent.chars, limits, shared);
    if (problem) return problem;
  }
  return undefined;
}
