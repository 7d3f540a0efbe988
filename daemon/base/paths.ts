/** Where the package's own files are, whether running from `daemon/` (tests) or `dist/daemon/` (built). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'pacific') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('pacific: cannot find the package root (package.json named "pacific")');
    dir = parent;
  }
}

/** The package root: the folder holding package.json, schemas/ and sample-repo/. */
export const packageRoot = findPackageRoot();
export const schemasDir = join(packageRoot, 'schemas');
export const sampleRepoDir = join(packageRoot, 'sample-repo');
