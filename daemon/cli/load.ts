/** What `diff` and `validate` share: a source at a revision, loaded and validated like the daemon does. */
import { RevisionLoader, type LoadedRevision } from '../controller/load-revision.js';
import { SchemaRegistry } from '../manifests/schema-registry.js';
import type { TenancyRule } from '../manifests/tenancy.js';
import { openSource } from '../source/open-source.js';

/** Usage errors (bad paths, unknown refs) exit 2 in every command. */
export class UsageError extends Error {}

/** `--tenant-root <dir>` (default `namespaces`) or `--no-tenancy` (false) → the rule the loader applies. */
export function tenancyRule(option: string | false | undefined): TenancyRule | undefined {
  return option === false ? undefined : { root: (option ?? 'namespaces').replace(/^\/+|\/+$/g, '') };
}

export async function loadForCli(path: string, options: { ref?: string; branch?: string; tenancy?: string | false }): Promise<{ loaded: LoadedRevision; schemas: SchemaRegistry; location: string }> {
  let source;
  try {
    source = await openSource(path, { ...(options.ref ? { ref: options.ref } : {}), branch: options.branch ?? 'main' });
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
  const loaded = await new RevisionLoader(source, schemas, undefined, undefined, tenancy ? { tenancy } : {}).load(head.commit);
  return { loaded, schemas, location: source.location };
}
