/**
 * Revision → validated objects, re-reading only what changed: a file's parsed and validated form
 * is kept by (path, blob id) in memory for the current revision and in the store across restarts.
 * After the first load, a revision is loaded as the files it changed against the last one (when
 * the source can tell), so the cost follows the change, not the repository.
 */
import { assembleManifests, cappedPerRevision, loadManifestFile, oversizedFile, type FileManifests, type LoadedManifests, type LoadOptions } from '../manifests/load.js';
import type { SchemaRegistry } from '../manifests/schema-registry.js';
import type { Diagnostic, ManifestObject } from '../manifests/types.js';
import { FileTooLarge, RevisionRefused, type ManifestSource, type SkippedEntry, type SourceFile } from '../source/types.js';
import type { ParsedFileCache } from '../store/ports.js';
import { parsingFingerprint } from '../manifests/limits.js';
import { manifestLimits } from '../base/input-limits.js';
import type { Metrics } from '../base/metrics.js';
import { timeSlices } from '../base/time-slices.js';
import { RevisionState, type LoadedFile } from './revision-state.js';
import { IncrementalDivergence } from './verify-pass.js';

/** Store meta key of the parse cache's key: a cached file is valid only under the same one. */
export const PARSE_CACHE_META = 'parse_fingerprint';

/** What a cached file's verdict depends on: the schemas, the tenancy rule, the parser and its limits. */
export function parseCacheKey(schemas: SchemaRegistry, options: LoadOptions): string {
  return `${schemas.fingerprint}/${options.tenancy?.root ?? '-'}/${parsingFingerprint(manifestLimits(options.limits))}`;
}

export interface LoadedRevision extends LoadedManifests {
  readonly revision: string;
  readonly fileCount: number;
  /** Set when the revision was loaded as changes against `from`: what its changed files declare now and declared before. */
  readonly changes?: DeclaredChanges;
}

/** The declared objects a revision changed against another, by file. */
export interface DeclaredChanges {
  readonly from: string;
  /** Objects the changed or added files declare. */
  readonly declared: readonly ManifestObject[];
  /** Objects the changed or removed files declared before. */
  readonly withdrawn: readonly ManifestObject[];
}

/** Blobs read at once; between batches the event loop runs (reads from a cached pack never wait on IO). */
const READ_BATCH = 16;

/** Skipped tree entries (symlinks, submodules, unsafe paths) are warnings a user should see. */
function skippedDiagnostics(skipped: readonly SkippedEntry[]): Diagnostic[] {
  return skipped.map((s) => ({ severity: 'warning', code: 'UnsafePath', file: s.path, line: 1, column: 1, message: `not read: ${s.reason}` }));
}

type Stage = 'read' | 'parse';

export class RevisionLoader {
  private state: RevisionState | undefined;

  constructor(
    private readonly source: ManifestSource,
    private readonly schemas: SchemaRegistry,
    /** Files already parsed and validated: the store, or a read-only view of it. */
    private readonly store?: ParsedFileCache,
    private readonly metrics?: Metrics,
    /** Tenancy rule and manifest limits, given to every file's load (cached files were loaded with the same). */
    private readonly options: LoadOptions = {},
    /** Check every load made from changes against a full listing and assembly (tests); a difference throws. */
    private readonly verify = false,
  ) {}

  private time<T>(stage: Stage, fn: () => T | Promise<T>): Promise<T> {
    return this.metrics ? this.metrics.time(stage, fn) : Promise.resolve(fn());
  }

  /**
   * Loads a revision; unchanged files come from memory or the store, new ones are read, parsed and
   * validated. A revision the source refuses while listing it (over a bound) is one error and
   * nothing else: the loader keeps the revision it had.
   */
  async load(revision: string): Promise<LoadedRevision> {
    try {
      return await this.loadListed(revision);
    } catch (error) {
      if (!(error instanceof RevisionRefused)) throw error;
      const { path: file, code, reason: message } = error;
      return { revision, fileCount: 0, objects: [], diagnostics: [{ severity: 'error', code, file, line: 1, column: 1, message }] };
    }
  }

  private async loadListed(revision: string): Promise<LoadedRevision> {
    const last = this.state;
    const changes = last && last.revision !== revision && this.source.changes ? await this.time('read', () => this.source.changes!(last.revision, revision)) : undefined;
    if (last && last.revision === revision) return this.result(last);
    if (!last || !changes) return this.loadAll(revision);
    const known = new Map(changes.changed.map((f) => [f.path, this.store?.parsedFile(f.path, f.blobId)]));
    const fresh = await this.readAndParse(changes.changed.filter((f) => !known.get(f.path)));
    const declared: ManifestObject[] = [];
    const withdrawn: ManifestObject[] = [];
    for (const path of changes.removed) {
      withdrawn.push(...(last.file(path)?.manifests.objects ?? []));
      last.put(path);
    }
    for (const f of changes.changed) {
      const manifests = fresh.get(f.path) ?? known.get(f.path)!;
      withdrawn.push(...(last.file(f.path)?.manifests.objects ?? []));
      declared.push(...manifests.objects);
      last.put(f.path, { path: f.path, blobId: f.blobId, manifests });
    }
    const from = last.revision;
    last.revision = revision;
    const loaded = this.result(last, { from, declared, withdrawn });
    if (this.verify) await this.check(loaded);
    return loaded;
  }

  /** Lists the whole revision; unchanged files keep their parsed form, the others are read and parsed. */
  private async loadAll(revision: string): Promise<LoadedRevision> {
    const listing = await this.time('read', () => this.source.files(revision));
    const files: LoadedFile[] = [];
    const missing: SourceFile[] = [];
    for (const f of listing.files) {
      const kept = this.state?.file(f.path);
      const known = kept?.blobId === f.blobId ? kept.manifests : this.store?.parsedFile(f.path, f.blobId);
      if (!known) missing.push(f);
      files.push({ path: f.path, blobId: f.blobId, manifests: known! });
    }
    const fresh = await this.readAndParse(missing);
    for (const [i, f] of files.entries()) if (!f.manifests) files[i] = { ...f, manifests: fresh.get(f.path)! };
    this.state = new RevisionState(revision, files, listing.skipped);
    return this.result(this.state);
  }

  private result(state: RevisionState, changes?: DeclaredChanges): LoadedRevision {
    const assembled = state.assemble();
    return {
      revision: state.revision,
      fileCount: state.fileCount,
      objects: assembled.objects,
      diagnostics: this.capped([...skippedDiagnostics(state.skipped), ...assembled.diagnostics]),
      ...(changes ? { changes } : {}),
    };
  }

  private capped(diagnostics: readonly Diagnostic[]): readonly Diagnostic[] {
    return cappedPerRevision(diagnostics, manifestLimits(this.options.limits).maxDiagnosticsPerRevision);
  }

  /** A load made from changes must equal a full listing's assembly. */
  private async check(loaded: LoadedRevision): Promise<void> {
    const listing = await this.source.files(loaded.revision);
    const files = listing.files.map((f) => this.state!.file(f.path));
    const lost = listing.files.find((f, i) => files[i]?.blobId !== f.blobId);
    if (lost || files.length !== loaded.fileCount) throw new IncrementalDivergence(`incremental load of ${loaded.revision}: files differ from its listing (${lost?.path ?? 'count'})`);
    const full = assembleManifests(files.map((f) => f!.manifests));
    const same = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    if (!same(full.objects, loaded.objects) || JSON.stringify(this.capped([...skippedDiagnostics(listing.skipped), ...full.diagnostics])) !== JSON.stringify(loaded.diagnostics)) {
      throw new IncrementalDivergence(`incremental load of ${loaded.revision}: objects or diagnostics differ from a full assembly`);
    }
  }

  /** Reads and parses files (and keeps their parsed form in the store), yielding to the event loop between slices. */
  private async readAndParse(missing: readonly SourceFile[]): Promise<Map<string, FileManifests>> {
    const next = new Map<string, FileManifests>();
    const fresh: { path: string; blob: string; manifests: FileManifests }[] = [];
    const pause = timeSlices();
    const contents = await this.time('read', async () => {
      const read: { f: SourceFile; bytes: Uint8Array | FileTooLarge }[] = [];
      const readOne = (f: SourceFile) =>
        this.source.read(f).catch((error: unknown) => {
          // Over the file bound by its header: refused without being inflated.
          if (error instanceof FileTooLarge) return error;
          throw error;
        });
      for (let i = 0; i < missing.length; i += READ_BATCH) {
        read.push(...(await Promise.all(missing.slice(i, i + READ_BATCH).map(async (f) => ({ f, bytes: await readOne(f) })))));
        await pause();
      }
      return read;
    });
    // Parsing and validating run document by document: timed together, reported as two stages.
    const timing = { validateMs: 0 };
    const started = performance.now();
    for (const { f, bytes } of contents) {
      const manifests = bytes instanceof FileTooLarge ? oversizedFile(f.path, bytes.size, this.options) : loadManifestFile(f.path, bytes, this.schemas, { ...this.options, timing });
      next.set(f.path, manifests);
      fresh.push({ path: f.path, blob: f.blobId, manifests });
      await pause();
    }
    this.metrics?.observe('parse', performance.now() - started - timing.validateMs);
    this.metrics?.observe('validate', timing.validateMs);
    this.store?.saveParsedFiles(fresh);
    return next;
  }
}
