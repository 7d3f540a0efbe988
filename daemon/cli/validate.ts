/**
 * `pacific validate`: exit 0 valid, 1 invalid (each problem on its own line), 2 usage error. It reads
 * what `diff` reads: a clone as it is on disk unless `--ref`/`--branch` names a commit.
 */
import { formatDiagnostic } from '../manifests/types.js';
import { loadForCli } from './load.js';

export async function validateCommand(path: string, options: { ref?: string; branch?: string; tenancy?: string | false; limits?: readonly string[] }): Promise<number> {
  const { loaded } = await loadForCli(path, { ...options, onDisk: true });
  for (const d of loaded.diagnostics) process.stdout.write(formatDiagnostic(d) + '\n');
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error').length;
  process.stderr.write(
    errors ? `${errors} problem(s) in ${loaded.fileCount} file(s); revision ${loaded.revision} would not be applied\n` : `${loaded.objects.length} object(s) in ${loaded.fileCount} file(s) are valid (revision ${loaded.revision})\n`,
  );
  return errors ? 1 : 0;
}
