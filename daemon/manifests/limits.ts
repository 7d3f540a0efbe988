/**
 * How much one manifest file may ask of the loader. A repo is untrusted input: a file can be huge,
 * nest without end, or expand through YAML aliases into billions of values ("billion laughs") that
 * js-yaml shares but validation, `JSON.stringify` and the store would walk one by one. The checks
 * are cheap: sizes before parsing, one walk over what the parser built (shared nodes sized once).
 */
import type { PathSegment } from './locate.js';

/** Bounds on one file and each of its documents; `manifestLimits()` fills unset fields with the defaults. */
export interface ManifestLimits {
  /** Bytes of one file, checked before it is decoded. */
  readonly maxFileBytes: number;
  /** UTF-8 bytes of one YAML document, checked before it is parsed. */
  readonly maxDocumentBytes: number;
  /** Nesting of mappings and sequences in one document, aliases expanded (the top-level mapping is 1). */
  readonly maxDepth: number;
  /** Values (mappings, sequences and scalars) of one document once its aliases are expanded. */
  readonly maxNodes: number;
  /** Characters of keys and strings of one document once its aliases are expanded. */
  readonly maxExpandedChars: number;
  /** Diagnostics kept for one file; the rest are counted in one last diagnostic. */
  readonly maxDiagnosticsPerFile: number;
  /** Manifest files of one revision, counted while its trees are listed, before any is read. */
  readonly maxFiles: number;
  /** Bytes of a revision's manifest files together, from the object headers, before any is read. */
  readonly maxTotalBytes: number;
  /** Folders a manifest path may nest (`a/b/c.yaml` is 2 deep). */
  readonly maxPathDepth: number;
  /** Entries of one tree object (one folder), checked as it is read. */
  readonly maxTreeEntries: number;
  /** Diagnostics kept for one revision; the rest are counted in one last diagnostic. */
  readonly maxDiagnosticsPerRevision: number;
}

/**
 * The defaults, each with its reason. Measured on the conformance samples (404 files, 681
 * documents): largest file 46 KiB, largest document 24 KiB, deepest 11 levels, at most 542 values
 * and 21,000 characters in a document; the corpus CRDs reach 985 KiB a file and 26 levels.
 */
export const DEFAULT_MANIFEST_LIMITS: ManifestLimits = Object.freeze({
  // 1 MiB: etcd refuses a request over 1.5 MiB and a ConfigMap's data is capped at 1 MiB, so no object
  // needs more (the largest CRD of the corpus, vm-operator's VirtualMachine, is 985 KiB); a bigger
  // file is generated output or an accident, and is never decoded.
  maxFileBytes: 1024 * 1024,
  // 256 KiB: ten times the largest sample document, and the API server's cap on an object's
  // annotations. It bounds the parser's time and memory for one document. A full CRD can be larger;
  // pacific serves no CRD documents, so such a file is refused either way (here, before parsing).
  maxDocumentBytes: 256 * 1024,
  // 64: objects nest about 10 levels (11 in the samples, 26 in a CRD's OpenAPI schema); 64 leaves room
  // for free-form fields while every recursive walk downstream (ajv, normalization, diff, JSON)
  // stays far from the stack's limit.
  maxDepth: 64,
  // 100,000 values: 200 times the largest sample document. A billion-laughs document of a few
  // hundred bytes passes it after a handful of alias levels and is refused without being expanded.
  maxNodes: 100_000,
  // 1 Mi characters (4 × maxDocumentBytes): without aliases a document cannot hold more than its own
  // size; aliases may repeat a block a few times, not a 100 KiB string ten thousand times.
  maxExpandedChars: 1024 * 1024,
  // 100: enough to fix a file in one go; a megabyte of tiny broken documents would otherwise keep
  // 200,000 diagnostics (50 MB) in memory, in the store and in /status.
  maxDiagnosticsPerFile: 100,
  // A revision is listed before it is read, and six small trees sharing subtrees describe a million
  // files: the listing stops at these, naming the folder where a bound is crossed.
  // 100,000 files: ten times the bench's 10,000-VM repo, which lists and loads in seconds.
  maxFiles: 100_000,
  // 128 MiB: 100,000 hand-written manifests of about 1 KiB with room to spare; the loader holds the
  // bytes of a revision's new files at once, so this bounds that memory.
  maxTotalBytes: 128 * 1024 * 1024,
  // 32 folders: GitOps layouts nest 3 to 6 (cluster/namespace/app/overlay); git itself sets no bound.
  maxPathDepth: 32,
  // 100,000 entries: where GitHub's trees API stops listing a tree. A tree object is read whole, so
  // this also bounds the bytes of one (entries of names up to 255 bytes).
  maxTreeEntries: 100_000,
  // 1,000: ten files' worth of the per-file bound. 101,000 diagnostics from a 10 KB push made a
  // 31 MB /status; the first thousand name every kind of mistake a revision has.
  maxDiagnosticsPerRevision: 1_000,
});

/** `--limit <name>=<value>` names, and whether the value is a byte size (`2Mi`) or a count. */
export const LIMIT_OPTIONS: Readonly<Record<string, { readonly field: keyof ManifestLimits; readonly bytes: boolean }>> = {
  file: { field: 'maxFileBytes', bytes: true },
  document: { field: 'maxDocumentBytes', bytes: true },
  depth: { field: 'maxDepth', bytes: false },
  nodes: { field: 'maxNodes', bytes: false },
  chars: { field: 'maxExpandedChars', bytes: false },
  diagnostics: { field: 'maxDiagnosticsPerFile', bytes: false },
  files: { field: 'maxFiles', bytes: false },
  bytes: { field: 'maxTotalBytes', bytes: true },
  'path-depth': { field: 'maxPathDepth', bytes: false },
  'tree-entries': { field: 'maxTreeEntries', bytes: false },
  'revision-diagnostics': { field: 'maxDiagnosticsPerRevision', bytes: false },
};

/** Limits with every unset field taken from the defaults. */
export function manifestLimits(overrides: Partial<ManifestLimits> = {}): ManifestLimits {
  const limits: Record<string, number> = { ...DEFAULT_MANIFEST_LIMITS };
  for (const [name, value] of Object.entries(overrides)) if (typeof value === 'number' && value >= 0) limits[name] = value;
  return limits as unknown as ManifestLimits;
}

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

/** `1,048,576`: sizes are read by people. */
export function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
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
