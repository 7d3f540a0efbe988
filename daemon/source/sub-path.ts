/** `--path <dir>` (Flux's `spec.path`): a folder of the repository as the manifest root; paths are read relative to it. */
import type { ManifestSource, RevisionChanges, SourceFile } from './types.js';

/** `dir` normalised: no leading `./` or `/`, no trailing `/`; refuses `..`. */
export function normaliseSubPath(dir: string): string {
  const parts = dir.split('/').filter((p) => p && p !== '.');
  if (parts.includes('..')) throw new Error(`--path "${dir}" leaves the repository`);
  return parts.join('/');
}

/** `source` seen from `dir`: only the files under it, with `dir/` removed from their paths. */
export function underPath<S extends ManifestSource>(source: S, dir: string): ManifestSource {
  const root = normaliseSubPath(dir);
  if (!root) return source;
  const prefix = `${root}/`;
  const inside = <T extends { readonly path: string }>(list: readonly T[]): T[] => list.filter((f) => f.path.startsWith(prefix)).map((f) => ({ ...f, path: f.path.slice(prefix.length) }));
  const changes = source.changes?.bind(source);
  return {
    kind: source.kind,
    location: `${source.location}//${root}`,
    head: () => source.head(),
    files: async (revision) => {
      const all = await source.files(revision);
      return { revision: all.revision, files: inside(all.files), skipped: inside(all.skipped) };
    },
    read: (file: SourceFile) => source.read(file),
    ...(changes
      ? {
          changes: async (from: string, to: string): Promise<RevisionChanges | undefined> => {
            const diff = await changes(from, to);
            return diff && { ...diff, changed: inside(diff.changed), removed: diff.removed.filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length)) };
          },
        }
      : {}),
    isAncestor: (ancestor, descendant) => source.isAncestor(ancestor, descendant),
  };
}
