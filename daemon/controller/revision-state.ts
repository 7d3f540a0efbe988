/**
 * The files of the last loaded revision and what they declare, patched file by file: a commit that
 * changes one file costs that file (and a walk over the others' object lists, never their content).
 * Assembles exactly what `assembleManifests` assembles from the same files. Pure.
 */
import { duplicateDiagnostics, type FileManifests } from '../manifests/load.js';
import { type Diagnostic, type ManifestObject } from '../manifests/types.js';
import type { SkippedEntry } from '../source/types.js';

/** One manifest file of a revision and what it declares. */
export interface LoadedFile {
  readonly path: string;
  readonly blobId: string;
  readonly manifests: FileManifests;
}

/** Where `path` is, or would be inserted, in files sorted by path. */
function position(files: readonly LoadedFile[], path: string): number {
  let lo = 0;
  let hi = files.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (files[mid]!.path < path) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class RevisionState {
  /** Sorted by path (code-unit order, as listings are). */
  private readonly files: LoadedFile[];
  /** Every declaration of every object key, in file order. */
  private readonly declared = new Map<string, ManifestObject[]>();
  private readonly duplicates = new Set<string>();
  private readonly withDiagnostics = new Set<string>();

  constructor(
    public revision: string,
    files: readonly LoadedFile[],
    public skipped: readonly SkippedEntry[],
  ) {
    this.files = [...files];
    for (const f of this.files) this.add(f);
  }

  get fileCount(): number {
    return this.files.length;
  }

  /** The file at `path`, if the revision has one. */
  file(path: string): LoadedFile | undefined {
    const f = this.files[position(this.files, path)];
    return f?.path === path ? f : undefined;
  }

  /** Replaces, adds (`file`) or removes (`path` only) one file. */
  put(path: string, file?: LoadedFile): void {
    const at = position(this.files, path);
    const old = this.files[at]?.path === path ? this.files[at] : undefined;
    if (old) this.remove(old);
    if (file && old) this.files[at] = file;
    else if (file) this.files.splice(at, 0, file);
    else if (old) this.files.splice(at, 1);
    if (file) this.add(file);
  }

  /** Valid objects declared once, in file order, and every diagnostic; as `assembleManifests` gives them. */
  assemble(): { objects: ManifestObject[]; diagnostics: Diagnostic[] } {
    const objects: ManifestObject[] = [];
    const diagnostics: Diagnostic[] = [];
    const dup = this.duplicates.size > 0;
    for (const f of this.files) {
      if (this.withDiagnostics.has(f.path)) diagnostics.push(...f.manifests.diagnostics);
      for (const o of f.manifests.objects) if (!dup || !this.duplicates.has(o.key)) objects.push(o);
    }
    // Duplicates in the order assembleManifests reports them: by first declaration.
    const reported = new Set<string>();
    for (const f of dup ? this.files : []) {
      for (const o of f.manifests.objects) {
        if (!this.duplicates.has(o.key) || reported.has(o.key)) continue;
        reported.add(o.key);
        diagnostics.push(...duplicateDiagnostics(this.declared.get(o.key)!));
      }
    }
    diagnostics.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    return { objects, diagnostics };
  }

  private add(f: LoadedFile): void {
    if (f.manifests.diagnostics.length) this.withDiagnostics.add(f.path);
    for (const o of f.manifests.objects) {
      const all = this.declared.get(o.key);
      if (!all) this.declared.set(o.key, [o]);
      else {
        // Keep file order, so duplicates are reported as a full assembly reports them.
        all.push(o);
        all.sort((a, b) => (a.source.file < b.source.file ? -1 : a.source.file > b.source.file ? 1 : 0));
        this.duplicates.add(o.key);
      }
    }
  }

  private remove(f: LoadedFile): void {
    this.withDiagnostics.delete(f.path);
    for (const o of f.manifests.objects) {
      const all = this.declared.get(o.key);
      if (!all) continue;
      const rest = all.filter((d) => d !== o);
      if (!rest.length) this.declared.delete(o.key);
      else this.declared.set(o.key, rest);
      if (rest.length < 2) this.duplicates.delete(o.key);
    }
  }
}
