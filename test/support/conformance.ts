/**
 * The real-world corpus in `../shared/conformance` (CRDs and samples we did not write). Tests read it
 * when it exists and skip with a visible message when it does not; it is never copied into the project.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { packageRoot } from '../../daemon/base/paths.js';

export const conformanceDir = resolve(process.env['PACIFIC_CONFORMANCE_DIR'] ?? join(packageRoot, '..', 'shared', 'conformance'));
export const hasConformance = existsSync(join(conformanceDir, 'samples'));

if (!hasConformance) {
  console.warn(`\n[pacific] conformance corpus not found at ${conformanceDir}: conformance tests are SKIPPED\n`);
}

/** Every file below `samples/<sub>` (templated files excluded), as paths relative to `samples/`. */
export function conformanceSamples(sub: string): string[] {
  const root = join(conformanceDir, 'samples');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (entry !== 'templated') walk(path);
      } else if (/\.ya?ml$/.test(entry)) out.push(relative(root, path));
    }
  };
  if (hasConformance && existsSync(join(root, sub))) walk(join(root, sub));
  return out.sort();
}
