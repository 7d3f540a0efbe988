/**
 * Revision → validated objects, re-reading only what changed: a file's parsed and validated form
 * is kept by (path, blob id) in memory for the current revision and in the store across restarts.
 */
import { assembleManifests, loadManifestFile, type FileManifests, type LoadedManifests, type LoadOptions } from '../manifests/load.js';
import type { SchemaRegistry } from '../manifests/schema-registry.js';
import type { Diagnostic } from '../manifests/types.js';
import type { ManifestSource, RevisionFiles } from '../source/types.js';
import type { Store } from '../store/store.js';
import type { Metrics } from '../metrics.js';

export interface LoadedRevision extends LoadedManifests {
  readonly revision: string;
  readonly fileCount: number;
}

function cacheKey(path: string, blob: string): string {
  return `${path}\u0000${blob}`;
}

/** Skipped tree entries (symlinks, submodules, unsafe paths) are warnings a user should see. */
function skippedDiagnostics(files: RevisionFiles): Diagnostic[] {
  return files.skipped.map((s) => ({ severity: 'warning', code: 'UnsafePath', file: s.path, line: 1, column: 1, message: `not read: ${s.reason}` }));
}

export class RevisionLoader {
  private cache = new Map<string, FileManifests>();

  constructor(
    private readonly source: ManifestSource,
    private readonly schemas: SchemaRegistry,
    private readonly store?: Store,
    private readonly metrics?: Metrics,
    private readonly options: LoadOptions = {},
  ) {}

  /** Loads a revision; unchanged files come from the cache, new ones are read, parsed and validated. */
  async load(revision: string): Promise<LoadedRevision> {
    const time = <T>(stage: 'read' | 'parse', fn: () => T | Promise<T>) => (this.metrics ? this.metrics.time(stage, fn) : fn());
    const listing = await time('read', () => this.source.files(revision));
    const next = new Map<string, FileManifests>();
    const fresh: { path: string; blob: string; manifests: FileManifests }[] = [];
    const missing = listing.files.filter((f) => {
      const key = cacheKey(f.path, f.blobId);
      const known = this.cache.get(key) ?? this.store?.parsedFile(f.path, f.blobId);
      if (known) next.set(key, known);
      return !known;
    });
    const contents = await time('read', () => Promise.all(missing.map(async (f) => ({ f, bytes: await this.source.read(f) }))));
    await time('parse', () => {
      for (const { f, bytes } of contents) {
        const manifests = loadManifestFile(f.path, bytes, this.schemas, this.options);
        next.set(cacheKey(f.path, f.blobId), manifests);
        fresh.push({ path: f.path, blob: f.blobId, manifests });
      }
    });
    this.store?.saveParsedFiles(fresh);
    this.cache = next;
    const files = listing.files.map((f) => next.get(cacheKey(f.path, f.blobId))!);
    const assembled = assembleManifests(files);
    return {
      revision,
      fileCount: listing.files.length,
      objects: assembled.objects,
      diagnostics: [...skippedDiagnostics(listing), ...assembled.diagnostics],
    };
  }
}
