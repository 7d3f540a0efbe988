/** `pacific init`: a bare repo whose first commit on main holds a folder of manifests. */
import { resolve } from 'node:path';
import { sampleRepoDir } from '../base/paths.js';
import { initRepository } from '../source/init-repo.js';

export async function initCommand(bareRepo: string, options: { from?: string }): Promise<number> {
  const from = resolve(options.from ?? sampleRepoDir);
  const commit = await initRepository(resolve(bareRepo), from, { branch: 'main', message: `Initial manifests from ${options.from ?? 'the pacific sample repo'}` });
  process.stdout.write(`Created bare repository ${resolve(bareRepo)} (main@${commit.slice(0, 12)}) from ${from}\n`);
  return 0;
}
