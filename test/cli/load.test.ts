/**
 * The CLI's revision load reads a state dir's parsed files only when they were parsed under the
 * same key (schemas, tenancy rule, parser and limits), and never writes to the state dir.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadForCli } from '../../daemon/cli/load.js';
import { PARSE_CACHE_META, parseCacheKey } from '../../daemon/controller/load-revision.js';
import { SchemaRegistry } from '../../daemon/manifests/schema-registry.js';
import { gitBlobId } from '../../daemon/source/blob-id.js';
import { SqliteStore } from '../../daemon/store/sqlite-store.js';
import { namespaceYaml } from '../support/fixtures.js';
import { tempDir } from '../support/temp.js';

let tmp: ReturnType<typeof tempDir>;
let repo: string;
let state: string;
const A = namespaceYaml('team-a');

beforeEach(() => {
  tmp = tempDir();
  repo = join(tmp.dir, 'repo');
  state = join(tmp.dir, 'state');
  mkdirSync(repo);
  mkdirSync(state);
  writeFileSync(join(repo, 'a.yaml'), A);
  writeFileSync(join(repo, 'b.yaml'), namespaceYaml('team-b'));
  // What a daemon would have left: a.yaml parsed (here to a recognisable verdict), b.yaml not.
  const store = SqliteStore.open(state);
  store.saveParsedFiles([{ path: 'a.yaml', blob: gitBlobId(Buffer.from(A)), manifests: { file: 'a.yaml', objects: [], diagnostics: [{ severity: 'warning', code: 'InvalidValue', file: 'a.yaml', line: 1, column: 1, message: 'parsed by the daemon' }] } }]);
  store.setMeta(PARSE_CACHE_META, parseCacheKey(SchemaRegistry.load(), {}));
  store.close();
});
afterEach(() => tmp.cleanup());

async function load(): Promise<{ names: string[]; messages: string[]; cachedRows: number }> {
  const store = SqliteStore.openReadOnly(state);
  try {
    const { loaded } = await loadForCli(repo, { tenancy: false, parsedIn: store });
    return {
      names: loaded.objects.map((o) => o.name).sort(),
      messages: loaded.diagnostics.map((d) => d.message),
      cachedRows: ['a.yaml', 'b.yaml'].filter((f) => store.parsedFile(f, gitBlobId(Buffer.from(f === 'a.yaml' ? A : namespaceYaml('team-b'))))).length,
    };
  } finally {
    store.close();
  }
}

describe('loadForCli with a state dir', () => {
  it('takes the files the state dir parsed under the same key, parses the others, and writes nothing', async () => {
    expect(await load()).toEqual({ names: ['team-b'], messages: ['parsed by the daemon'], cachedRows: 1 });
  });

  it('parses every file when the limits differ from those the state dir parsed under', async () => {
    const store = SqliteStore.openReadOnly(state);
    try {
      const { loaded } = await loadForCli(repo, { tenancy: false, limits: ['diagnostics=50'], parsedIn: store });
      expect(loaded.objects.map((o) => o.name).sort()).toEqual(['team-a', 'team-b']);
    } finally {
      store.close();
    }
  });

  it('parses every file when the state dir parsed under another key (other schemas, rule or limits)', async () => {
    const store = SqliteStore.open(state);
    store.setMeta(PARSE_CACHE_META, 'another');
    store.close();
    expect(await load()).toEqual({ names: ['team-a', 'team-b'], messages: [], cachedRows: 1 });
  });
});
