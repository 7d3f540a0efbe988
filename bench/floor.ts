/**
 * The floor: the least work any reader of a revision must do, measured in the same run as the
 * daemon. Native `git ls-tree -r` lists the blobs, one `git cat-file --batch` process streams them
 * all, js-yaml parses every document (CORE_SCHEMA, as the daemon does), and, as a separate figure,
 * the daemon's own ajv validators check every document.
 */
import { spawn } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import yaml from 'js-yaml';
import { SchemaRegistry } from '../daemon/manifests/schema-registry.js';
import { splitApiVersion } from '../daemon/manifests/types.js';
import { gitAsync } from './git-cli.js';
import { since } from './stats.js';

/** One timed floor pass. `totalMs` is git + YAML; `withAjvMs` adds validation. */
export interface FloorRun {
  readonly lsTreeMs: number;
  readonly catFileMs: number;
  readonly yamlMs: number;
  /** `SchemaRegistry.load()` and compiling the validator of each kind met (once per process). */
  readonly ajvCompileMs: number;
  /** One validate call per document with the compiled validators. */
  readonly ajvValidateMs: number;
  /** `ajvCompileMs + ajvValidateMs`. */
  readonly ajvMs: number;
  readonly totalMs: number;
  readonly withAjvMs: number;
  readonly blobs: number;
  readonly bytes: number;
  readonly documents: number;
}

interface TreeBlob {
  readonly id: string;
  readonly path: string;
}

/** Manifest blobs as the daemon selects them: `*.yaml`/`*.yml`, dot-folders skipped. */
function isManifest(path: string): boolean {
  return /\.ya?ml$/.test(path) && !path.split('/').some((part) => part.startsWith('.'));
}

/** `git ls-tree -r -z <rev>` → manifest blobs. */
async function listBlobs(gitdir: string, revision: string): Promise<TreeBlob[]> {
  const out = (await gitAsync(gitdir, 'ls-tree', '-r', '-z', revision)).toString('utf8');
  const blobs: TreeBlob[] = [];
  for (const entry of out.split('\0')) {
    if (!entry) continue;
    const tab = entry.indexOf('\t');
    const [, type, id] = entry.slice(0, tab).split(' ');
    const path = entry.slice(tab + 1);
    if (type === 'blob' && id && isManifest(path)) blobs.push({ id, path });
  }
  return blobs;
}

/** Pipes every blob id into one `git cat-file --batch` and splits its output into contents. */
function catBlobs(gitdir: string, blobs: readonly TreeBlob[]): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: gitdir, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`git cat-file --batch exited with ${code}: ${stderr}`));
      const out = Buffer.concat(chunks);
      const contents: Buffer[] = [];
      let at = 0;
      while (at < out.length) {
        const eol = out.indexOf(10, at);
        const header = out.toString('latin1', at, eol).split(' ');
        if (header[1] !== 'blob') return reject(new Error(`git cat-file --batch: unexpected header ${header.join(' ')}`));
        const size = Number(header[2]);
        contents.push(out.subarray(eol + 1, eol + 1 + size));
        at = eol + 1 + size + 1;
      }
      resolve(contents);
    });
    child.stdin.end(blobs.map((b) => b.id).join('\n') + '\n');
  });
}

/** Every document of every blob, parsed with js-yaml's CORE_SCHEMA. */
function parseAll(texts: readonly string[]): unknown[] {
  const documents: unknown[] = [];
  for (const text of texts) {
    for (const doc of yaml.loadAll(text, undefined, { schema: yaml.CORE_SCHEMA })) if (doc != null) documents.push(doc);
  }
  return documents;
}

type Validate = (doc: unknown) => boolean;

/** The daemon's compiled validator for each document's kind, in document order (compiling each kind once). */
function compileValidators(documents: readonly unknown[]): { validate: Validate; errors: () => unknown }[] {
  const schemas = SchemaRegistry.load();
  return documents.map((doc) => {
    const { apiVersion, kind } = doc as { apiVersion?: string; kind?: string };
    const { group, version } = splitApiVersion(String(apiVersion));
    const validate = schemas.validator(group, version, String(kind));
    if (!validate) throw new Error(`floor: no schema for ${apiVersion} ${kind}`);
    return { validate: (d: unknown) => validate(d) as boolean, errors: () => validate.errors };
  });
}

/** Validates each document with its validator; throws on any invalid one (the generated repo must be valid). */
function validateAll(documents: readonly unknown[], validators: readonly { validate: Validate; errors: () => unknown }[]): void {
  documents.forEach((doc, i) => {
    const v = validators[i]!;
    if (!v.validate(doc)) throw new Error(`floor: generated document ${i} does not validate: ${JSON.stringify(v.errors())}`);
  });
}

/** Runs the floor once against `revision` of `gitdir`. */
export async function measureFloor(gitdir: string, revision: string): Promise<FloorRun> {
  let start = performance.now();
  const blobs = await listBlobs(gitdir, revision);
  const lsTreeMs = since(start);
  start = performance.now();
  const contents = await catBlobs(gitdir, blobs);
  const catFileMs = since(start);
  start = performance.now();
  const documents = parseAll(contents.map((c) => c.toString('utf8')));
  const yamlMs = since(start);
  start = performance.now();
  const validators = compileValidators(documents);
  const ajvCompileMs = since(start);
  start = performance.now();
  validateAll(documents, validators);
  const ajvValidateMs = since(start);
  const ajvMs = ajvCompileMs + ajvValidateMs;
  const totalMs = lsTreeMs + catFileMs + yamlMs;
  return { lsTreeMs, catFileMs, yamlMs, ajvCompileMs, ajvValidateMs, ajvMs, totalMs, withAjvMs: totalMs + ajvMs, blobs: blobs.length, bytes: contents.reduce((n, c) => n + c.length, 0), documents: documents.length };
}

/** A full GC, via the V8 flag set at runtime (the bench runs as plain `node dist/bench/run.js`). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * The memory floor: heap bytes that js-yaml's parsed documents hold, per document, measured
 * between two full GCs while the whole revision is kept parsed (as a reconciler keeps it).
 */
export async function measureParsedHeap(gitdir: string, revision: string): Promise<{ bytesPerDocument: number; documents: number }> {
  const contents = await catBlobs(gitdir, await listBlobs(gitdir, revision));
  const texts = contents.map((c) => c.toString('utf8'));
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const documents = parseAll(texts);
  collectGarbage();
  const held = process.memoryUsage().heapUsed - before;
  return { bytesPerDocument: held / documents.length, documents: documents.length };
}
