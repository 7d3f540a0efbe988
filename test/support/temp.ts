/** Temp folders for tests: each one removed by its own `cleanup`, or with every other one by `removeTempDirs`. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  readonly dir: string;
  cleanup(): void;
}

const made = new Set<string>();

/** A fresh folder below the OS temp dir. */
export function tempDir(prefix = 'pacific-test-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return {
    dir,
    cleanup: () => {
      made.delete(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Removes every temp folder made so far and not yet removed (for tests that make many: `afterEach(removeTempDirs)`). */
export function removeTempDirs(): void {
  for (const dir of [...made]) {
    made.delete(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}
