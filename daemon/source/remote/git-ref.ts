/**
 * Which commit of a remote a source follows, as Flux's GitRepository `spec.ref` says it: a branch
 * (the default), a tag, the highest tag in a semver range, or a pinned commit. A branch is fetched
 * by name; the others are resolved from the remote's advertised refs first.
 */
import semver from 'semver';

export type GitRef =
  | { readonly kind: 'branch'; readonly name: string }
  | { readonly kind: 'tag'; readonly name: string }
  | { readonly kind: 'semver'; readonly range: string }
  | { readonly kind: 'commit'; readonly sha: string };

/** The ref from the options that name one; at most one of tag, semver, commit (a branch is the default). */
export function gitRef(options: { branch?: string; tag?: string; semver?: string; commit?: string }): GitRef {
  const given = (['tag', 'semver', 'commit'] as const).filter((k) => options[k] !== undefined);
  if (given.length > 1) throw new Error(`--${given.join(' and --')} exclude each other: name one ref`);
  if (options.tag !== undefined) return { kind: 'tag', name: options.tag };
  if (options.semver !== undefined) {
    if (!semver.validRange(options.semver)) throw new Error(`--semver "${options.semver}" is not a semver range (e.g. ">=1.0.0 <2.0.0", "1.x", "^1.2")`);
    return { kind: 'semver', range: options.semver };
  }
  if (options.commit !== undefined) {
    if (!/^[0-9a-f]{40}$/.test(options.commit)) throw new Error(`--commit "${options.commit}" must be a full 40-character commit id`);
    return { kind: 'commit', sha: options.commit };
  }
  return { kind: 'branch', name: options.branch ?? 'main' };
}

/** How the ref reads in status: `main`, `tag v1.2.0`, `semver ^1.2`, `commit 0a1b2c3d4e5f`. */
export function describeRef(ref: GitRef): string {
  switch (ref.kind) {
    case 'branch':
      return ref.name;
    case 'tag':
      return `tag ${ref.name}`;
    case 'semver':
      return `semver ${ref.range}`;
    case 'commit':
      return `commit ${ref.sha.slice(0, 12)}`;
  }
}

/** The mirror's local branch holding what the ref resolved to (a branch keeps its own name, so the ref watcher and status read as before). */
export function localBranch(ref: GitRef): string {
  return ref.kind === 'branch' ? ref.name : `pacific/${ref.kind}`;
}

/** The highest tag (by semver, `v` prefix allowed) in `range` among `refs/tags/*` names; undefined when none. */
export function highestTag(tags: readonly string[], range: string): string | undefined {
  const versions = new Map<string, string>();
  for (const tag of tags) {
    const version = semver.valid(semver.clean(tag, { loose: true }) ?? '');
    // The first spelling wins (v1.0.0 and 1.0.0 naming the same version).
    if (version && !versions.has(version)) versions.set(version, tag);
  }
  const best = semver.maxSatisfying([...versions.keys()], range);
  return best ? versions.get(best) : undefined;
}

/** `git ls-remote` output as ref name → object id, peeled tags (`^{}`) resolved to their commit. */
export function parseLsRemote(text: string): Map<string, string> {
  const refs = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [id, name] = line.split('\t');
    if (!id || !name) continue;
    if (name.endsWith('^{}')) refs.set(name.slice(0, -3), id);
    else if (!refs.has(name)) refs.set(name, id);
  }
  return refs;
}
