/**
 * The revisions a controller loads: the head, and the last good one (valid and applied), which
 * stays applied while the head is unavailable, invalid or held, and against which drift is still
 * corrected.
 */
import type { ManifestObject } from '../manifests/types.js';
import { StoreError } from '../store/ports.js';
import type { LoadedRevision, RevisionLoader } from './load-revision.js';

/** A valid revision and its declared objects. */
export interface GoodRevision {
  readonly revision: string;
  readonly objects: readonly ManifestObject[];
}

export class Revisions {
  private good: GoodRevision | undefined;
  /** The last revision the loader returned (its changes against the one before, when it knows them). */
  last: LoadedRevision | undefined;

  constructor(private readonly loader: RevisionLoader) {}

  /**
   * Loads a revision; a revision that cannot be read at all (a corrupt object, a tree entry named
   * `..`) is an invalid revision with one diagnostic, never a crash of the pass.
   */
  async load(revision: string): Promise<LoadedRevision> {
    try {
      return (this.last = await this.loader.load(revision));
    } catch (err) {
      // The store failing (the parsed-file cache cannot be written) is not the revision's fault.
      if (err instanceof StoreError) throw err;
      const message = `revision cannot be read: ${(err as Error).message}`;
      return { revision, fileCount: 0, objects: [], diagnostics: [{ severity: 'error', code: 'UnsafePath', file: '-', line: 0, column: 0, message }] };
    }
  }

  /** The revision that stays applied: the last one applied whole, else `lastApplied` (from the store) when it loads valid. */
  async lastGood(lastApplied: string | undefined): Promise<GoodRevision | undefined> {
    return this.good ?? (lastApplied ? await this.tryLoad(lastApplied) : undefined);
  }

  /** The last good revision known now, without loading one. */
  current(): GoodRevision | undefined {
    return this.good;
  }

  /** Remembers a revision applied whole as the last good one. */
  applied(good: GoodRevision): void {
    this.good = good;
  }

  private async tryLoad(revision: string): Promise<GoodRevision | undefined> {
    try {
      const loaded = (this.last = await this.loader.load(revision));
      if (loaded.diagnostics.some((d) => d.severity === 'error')) return undefined;
      return (this.good = { revision, objects: loaded.objects });
    } catch {
      return undefined;
    }
  }
}
