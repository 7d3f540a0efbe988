/**
 * Writes one JSON Schema per served group/version/kind into `schemas/` from the definitions.
 * `npm run schemas` runs it; a test fails when the committed files differ from what it would write.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { schemasDir } from '../../base/paths.js';
import { servedKindDefinitions } from './index.js';
import { documentSchema, schemaPath } from './dsl/kind.js';

/** Relative path → file content for every schema the definitions produce. */
export function renderSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  for (const def of servedKindDefinitions) files.set(schemaPath(def), JSON.stringify(documentSchema(def), null, 2) + '\n');
  return files;
}

function main(): void {
  rmSync(schemasDir, { recursive: true, force: true });
  const files = renderSchemas();
  for (const [path, content] of files) {
    const target = join(schemasDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  console.log(`wrote ${files.size} schemas to ${schemasDir}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
