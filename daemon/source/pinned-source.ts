/** A source frozen at one revision, for `pacific diff --ref`. */
import type { ManifestSource } from './types.js';

/** `source` whose head is always `commit`; listing, reading and ancestry still go to `source`. */
export function pinRevision(source: ManifestSource, commit: string): ManifestSource {
  return {
    kind: source.kind,
    location: source.location,
    head: async () => ({ state: 'commit', commit }),
    files: (revision) => source.files(revision),
    read: (file) => source.read(file),
    isAncestor: (ancestor, descendant) => source.isAncestor(ancestor, descendant),
  };
}
