/** What the commands share: a source at a revision, loaded and validated as the daemon does, and the options they have in common. */
import { resolve } from 'node:path';
import { PARSE_CACHE_META, parseCacheKey, RevisionLoader, type LoadedRevision } from '../controller/load-revision.js';
import { SchemaRegistry } from '../manifests/schema-registry.js';
import { parsePruneLimit, type PruneLimit } from '../plan/prune-bound.js';
import { LIMIT_OPTIONS, type ManifestLimits } from '../base/input-limits.js';
import type { LoadOptions } from '../manifests/load.js';
import { parseQuantity } from '../base/quantity.js';
import type { TenancyRule } from '../manifests/tenancy.js';
import { DirectorySource } from '../source/directory-source.js';
import { findGitDir, headBranch } from '../source/git-dir.js';
import { openSource } from '../source/open-source.js';
import type { ManifestSource } from '../source/types.js';
import type { MetaReader, ParsedFileCache, ParsedFileReader } from '../store/ports.js';

import { UsageError } from './preamble.js';

export { UsageError };

/** `--max-prune` of `serve` and `diff`; a bad value is a usage error. */
export function pruneLimitOption(text: string): PruneLimit {
  try {
    return parsePruneLimit(text);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** `--limit <name>=<value>`, repeated: the manifest limits to change (`file=2Mi`, `depth=32`). */
export function manifestLimitsOption(values: readonly string[]): Partial<ManifestLimits> {
  const limits: Partial<Record<keyof ManifestLimits, number>> = {};
  for (const text of values) {
    const [name, value] = text.split('=', 2);
    const option = LIMIT_OPTIONS[name ?? ''];
    if (!option || value === undefined) throw new UsageError(`--limit ${text}: expected <name>=<value>, name one of ${Object.keys(LIMIT_OPTIONS).join(', ')}`);
    let n: number;
    try {
      n = option.bytes ? parseQuantity(value) : Number(value);
    } catch {
      n = NaN;
    }
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--limit ${text}: ${name} must be a positive ${option.bytes ? 'size (1Mi, 262144)' : 'whole number'}`);
    limits[option.field] = n;
  }
  return limits;
}

/** `--tenant-root <dir>` (default `namespaces`) or `--no-tenancy` (false) → the rule the loader applies. */
export function tenancyRule(option: string | false | undefined): TenancyRule | undefined {
  return option === false ? undefined : { root: (option ?? 'namespaces').replace(/^\/+|\/+$/g, '') };
}

/**
 * The state dir's parsed files, read and never written, when they were parsed under the same key:
 * a dry run against a daemon's state re-reads only the files the daemon has not seen.
 */
function readOnlyCache(store: (MetaReader & ParsedFileReader) | undefined, key: string): ParsedFileCache | undefined {
  if (store?.meta(PARSE_CACHE_META) !== key) return undefined;
  return { parsedFile: (path, blob) => store.parsedFile(path, blob), saveParsedFiles: () => undefined };
}

/** Where a command reads a source. */
export interface SourceChoice {
  ref?: string;
  branch?: string;
  /**
   * `diff` and `validate`: a repository with a working tree is read as it is on disk, uncommitted and untracked
   * files included (as `kubectl diff -f` and `flux diff --path` read files), unless `--ref` or
   * `--branch` names a commit; a bare repository at `--branch`, else the branch its HEAD names.
   */
  onDisk?: boolean;
}

async function openForCli(path: string, options: SourceChoice, limits: Partial<ManifestLimits>): Promise<ManifestSource> {
  let { ref, branch } = options;
  if (options.onDisk && ref === undefined && branch === undefined) {
    const location = resolve(path);
    const gitdir = await findGitDir(location).catch(() => undefined);
    // The same walk, bounds and diagnostics as a plain directory; it skips dot entries, `.git` among them.
    if (gitdir && gitdir !== location) return new DirectorySource(location, limits);
    if (gitdir) branch = await headBranch(gitdir);
    if (gitdir && branch === undefined) ref = 'HEAD';
  }
  const source = await openSource(path, { ...(ref !== undefined ? { ref } : {}), branch: branch ?? 'main', limits });
  // A HEAD that names a branch never made (`git init --bare` says master, pushes went to main): the daemon's default, as before.
  if (options.branch === undefined && branch !== undefined && branch !== 'main' && (await source.head()).state === 'branch-not-found') {
    return openSource(path, { branch: 'main', limits });
  }
  return source;
}

export async function loadForCli(
  path: string,
  options: SourceChoice & { tenancy?: string | false; limits?: readonly string[]; parsedIn?: MetaReader & ParsedFileReader },
): Promise<{ loaded: LoadedRevision; schemas: SchemaRegistry; location: string }> {
  const limits = manifestLimitsOption(options.limits ?? []);
  let source;
  try {
    source = await openForCli(path, options, limits);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const head = await source.head();
  if (head.state !== 'commit') {
    const why = head.state === 'branch-not-found' ? `branch ${head.branch} not found` : head.state === 'empty-repository' ? 'the repository has no commits' : head.message;
    throw new UsageError(`${source.location}: ${why}`);
  }
  const schemas = SchemaRegistry.load();
  const tenancy = tenancyRule(options.tenancy);
  const loadOptions: LoadOptions = { ...(tenancy ? { tenancy } : {}), limits };
  const cache = readOnlyCache(options.parsedIn, parseCacheKey(schemas, loadOptions));
  const loaded = await new RevisionLoader(source, schemas, cache, undefined, loadOptions).load(head.commit);
  return { loaded, schemas, location: source.location };
}
