/**
 * Writes one JSON Schema per served group/version/kind into `schemas/` from the definitions, and
 * the kinds' TypeScript spec types into `kinds.generated.ts` (`kind-types.ts`).
 * `npm run schemas` runs it; a test fails when the committed files differ from what it would write.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot, schemasDir } from '../../base/paths.js';
import { servedKindDefinitions } from './index.js';
import { derivedKindDefinitions } from './derived.js';
import { KIND_TYPES_PATH, renderKindTypes } from './kind-types.js';
import { documentSchema, schemaPath } from './dsl/kind.js';

/** Relative path → file content for every schema the definitions produce. */
export function renderSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  for (const def of servedKindDefinitions) files.set(schemaPath(def), JSON.stringify(documentSchema(def), null, 2) + '\n');
  return files;
}

/** The text of `kinds.generated.ts` for the served and derived kinds. */
export function renderTypes(): string {
  return renderKindTypes(servedKindDefinitions, derivedKindDefinitions);
}

function main(): void {
  rmSync(schemasDir, { recursive: true, force: true });
  const files = renderSchemas();
  for (const [path, content] of files) {
    const target = join(schemasDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  writeFileSync(join(packageRoot, KIND_TYPES_PATH), renderTypes());
  console.log(`wrote ${files.size} schemas to ${schemasDir} and the kinds' types to ${KIND_TYPES_PATH}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
