import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSchemas, renderTypes } from '../../daemon/manifests/definitions/generate.js';
import { KIND_TYPES_PATH } from '../../daemon/manifests/definitions/kind-types.js';
import { packageRoot, schemasDir } from '../../daemon/base/paths.js';

function committedSchemaFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...committedSchemaFiles(path));
    else out.push(relative(schemasDir, path).split('\\').join('/'));
  }
  return out.sort();
}

describe('committed schemas', () => {
  const rendered = renderSchemas();

  it('are exactly the files the definitions render (run `npm run schemas` after changing a definition)', () => {
    expect(committedSchemaFiles(schemasDir)).toEqual([...rendered.keys()].sort());
  });

  it.each([...rendered.keys()].sort())('%s matches its definition', (path) => {
    expect(readFileSync(join(schemasDir, path), 'utf8')).toBe(rendered.get(path));
  });
});

describe('committed kind types', () => {
  it(`${KIND_TYPES_PATH} is what the definitions render (run \`npm run schemas\` after changing a definition)`, () => {
    expect(readFileSync(join(packageRoot, KIND_TYPES_PATH), 'utf8')).toBe(renderTypes());
  });
});
