/** `*.yaml`/`*.yml` outside dot-folders: the files pacific reads from a tree. */
export function isManifestPath(path: string): boolean {
  if (!/\.ya?ml$/i.test(path)) return false;
  return !path.split('/').some((segment) => segment.startsWith('.'));
}
