/**
 * How much one input may ask of pacific: a repository is untrusted, so reading a revision (files,
 * bytes, path depth, tree entries) and parsing its manifests (file and document sizes, nesting,
 * aliases) are bounded. The source and the manifest loader both read these bounds.
 */

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

/** `1,048,576`: sizes are read by people. */
export function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
