/**
 * Hostile and broken manifest input through the real loader: nothing throws, nothing hangs, nothing
 * grows without bound, every problem is one diagnostic naming the file, line, column and field,
 * the other documents of the file are still read, and any error keeps the revision from applying.
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { RevisionLoader } from '../../daemon/controller/load-revision.js';
import { assembleManifests, isApplicable, loadManifestFile, type LoadOptions } from '../../daemon/manifests/load.js';
import { shapeProblem } from '../../daemon/manifests/limits.js';
import { DEFAULT_MANIFEST_LIMITS, manifestLimits } from '../../daemon/base/input-limits.js';
import { parseManifestFile } from '../../daemon/manifests/parse.js';
import { SchemaRegistry } from '../../daemon/manifests/schema-registry.js';
import { formatDiagnostic, type Diagnostic } from '../../daemon/manifests/types.js';
import { DirectorySource } from '../../daemon/source/directory-source.js';
import { writeFiles } from '../support/git.js';
import { tempDir } from '../support/temp.js';

const schemas = SchemaRegistry.load();
const bytesOf = (text: string) => new TextEncoder().encode(text);
const load = (file: string, text: string | Uint8Array, options: LoadOptions = {}) =>
  loadManifestFile(file, typeof text === 'string' ? bytesOf(text) : text, schemas, options);
const lines = (file: string, text: string | Uint8Array, options: LoadOptions = {}) => load(file, text, options).diagnostics.map(formatDiagnostic);
/** The one diagnostic of a file, and that the revision holding it is not applied. */
function only(file: string, text: string | Uint8Array, options: LoadOptions = {}): Diagnostic {
  const result = load(file, text, options);
  expect(result.diagnostics.map(formatDiagnostic)).toHaveLength(1);
  expect(isApplicable(assembleManifests([result]))).toBe(false);
  return result.diagnostics[0]!;
}
const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
const configMap = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: a\ndata:\n${data}`;

/** The classic "billion laughs": 9 levels of 9 aliases, 9^9 (387 million) strings once expanded. */
function billionLaughs(): string {
  const out = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: lol', '  namespace: a', 'l0: &l0 "lol"'];
  for (let i = 1; i <= 9; i++) out.push(`l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(', ')}]`);
  out.push('data: *l9', '');
  return out.join('\n');
}

describe('YAML bombs (alias expansion)', () => {
  it('refuses a billion-laughs document in milliseconds, at the document, and still reads the file’s other documents', () => {
    const started = performance.now();
    const result = load('bomb.yaml', `${ns('before')}---\n# the bomb\n${billionLaughs()}---\n${ns('after')}`);
    const elapsed = performance.now() - started;
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'bomb.yaml:7:1: -: -: document has more than 100,000 values once its aliases are expanded (limit maxNodes): an alias bomb?',
    ]);
    expect(result.diagnostics[0]!.code).toBe('LimitExceeded');
    expect(result.objects.map((o) => o.name)).toEqual(['before', 'after']);
    expect(elapsed).toBeLessThan(1000); // a guard against expansion, not a benchmark: it takes about 1 ms
  });

  it('sizes each shared node once: aliases that stay under the limit are accepted', () => {
    const text = configMap('  a: &v "x"\n  b: *v\n') + 'binaryData: {}\n';
    expect(load('ok.yaml', text).diagnostics).toEqual([]);
    expect(load('ok.yaml', text).objects[0]!.body['data']).toEqual({ a: 'x', b: 'x' });
  });

  it('takes the node limit from the options', () => {
    const text = `${ns('a')}  labels: &l {a: p, b: q, c: r}\n  annotations: *l\n`;
    expect(load('n.yaml', text).diagnostics).toEqual([]);
    expect(only('n.yaml', text, { limits: { maxNodes: 8 } }).message).toBe('document has more than 8 values once its aliases are expanded (limit maxNodes): an alias bomb?');
  });

  it('refuses a long string repeated through aliases (characters expanded)', () => {
    const big = 'x'.repeat(100_000);
    const refs = Array.from({ length: 20 }, (_, i) => `  k${i}: *big`).join('\n');
    const d = only('s.yaml', configMap(`  k: &big "${big}"\n${refs}\n`));
    expect(d).toMatchObject({ code: 'LimitExceeded', line: 1, column: 1 });
    expect(d.message).toBe('document has more than 1,048,576 characters of keys and strings once its aliases are expanded (limit maxExpandedChars)');
  });

  it('refuses a document that contains itself through an alias, naming the field', () => {
    expect(lines('self.yaml', `${ns('a')}spec:\n  finalizers: &f [x, *f]\n`)).toEqual([
      'self.yaml:6:22: -: spec.finalizers[1]: this value contains itself through an alias: a recursive document never ends',
    ]);
    expect(lines('self.yaml', `${ns('a')}  labels: &m\n    me: *m\n`)).toEqual([
      'self.yaml:6:5: -: metadata.labels.me: this value contains itself through an alias: a recursive document never ends',
    ]);
  });

  it('counts depth through aliases: a chain of anchors cannot nest past the limit', () => {
    const chain = ['a0: &a0 [x]', ...Array.from({ length: 40 }, (_, i) => `a${i + 1}: &a${i + 1} [[*a${i}]]`)].join('\n');
    const d = only('chain.yaml', `${ns('a')}${chain}\n`);
    expect(d.code).toBe('LimitExceeded');
    expect(d.message).toBe('more than 64 levels of nesting once its aliases are expanded (limit maxDepth)');
    expect(d.path).toMatch(/^a3[0-9]\[0\]\[0\]\[0\]/);
  });
});

describe('oversized files and documents', () => {
  it('refuses a file over maxFileBytes before decoding it, naming the size and the limit', () => {
    const text = ns('a') + '#'.repeat(DEFAULT_MANIFEST_LIMITS.maxFileBytes);
    expect(lines('huge.yaml', text)).toEqual(['huge.yaml:1:1: -: -: file is 1,048,627 bytes; the limit is 1,048,576 (maxFileBytes): not read']);
    expect(only('small.yaml', ns('a'), { limits: { maxFileBytes: 10 } }).message).toBe('file is 51 bytes; the limit is 10 (maxFileBytes): not read');
  });

  it('refuses a document over maxDocumentBytes before parsing it, and reads the file’s other documents', () => {
    const big = configMap(`  blob: "${'é'.repeat(140_000)}"\n`); // 280,000 UTF-8 bytes, 140,000 characters
    const result = load('big.yaml', `${ns('a')}---\n${big}---\n${ns('b')}`);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(['big.yaml:6:1: -: -: document is 280,087 bytes; the limit is 262,144 (maxDocumentBytes): not parsed']);
    expect(result.objects.map((o) => o.name)).toEqual(['a', 'b']);
    expect(only('d.yaml', ns('a'), { limits: { maxDocumentBytes: 20 } }).message).toBe('document is 51 bytes; the limit is 20 (maxDocumentBytes): not parsed');
  });

  it('keeps at most maxDiagnosticsPerFile diagnostics of a file and counts the rest', () => {
    const text = '---\na: 1\n'.repeat(5_000); // 5,000 documents without apiVersion and kind
    const result = load('tiny.yaml', text);
    expect(result.diagnostics).toHaveLength(101);
    expect(formatDiagnostic(result.diagnostics[100]!)).toBe('tiny.yaml:102:1: -: -: 9,900 more problems in this file from here on are not listed (limit maxDiagnosticsPerFile)');
    expect(result.diagnostics[100]!).toMatchObject({ severity: 'error', code: 'LimitExceeded' });
    expect(load('tiny.yaml', '---\na: 1\n'.repeat(3), { limits: { maxDiagnosticsPerFile: 2 } }).diagnostics.map(formatDiagnostic)).toEqual([
      'tiny.yaml:2:1: -: -: apiVersion is required and must be a string',
      'tiny.yaml:2:1: -: -: kind is required and must be a string',
      'tiny.yaml:4:1: -: -: 4 more problems in this file from here on are not listed (limit maxDiagnosticsPerFile)',
    ]);
  });

  it('takes limits through the revision loader, as the daemon will pass them', async () => {
    const { dir, cleanup } = tempDir('pacific-hostile-');
    try {
      writeFiles(dir, { 'platform/a.yaml': ns('a'), 'platform/b.yaml': ns('b') + '# padding\n'.repeat(20) });
      const source = new DirectorySource(dir);
      const head = (await source.head()) as { commit: string };
      const loaded = await new RevisionLoader(source, schemas, undefined, undefined, { limits: { maxFileBytes: 100 } }).load(head.commit);
      expect(loaded.objects.map((o) => o.name)).toEqual(['a']);
      expect(loaded.diagnostics.map(formatDiagnostic)).toEqual(['platform/b.yaml:1:1: -: -: file is 251 bytes; the limit is 100 (maxFileBytes): not read']);
    } finally {
      cleanup();
    }
  });
});

describe('deep nesting', () => {
  const nested = (levels: number) => Array.from({ length: levels }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n') + ' end\n';

  it('accepts 64 levels and refuses 65, naming the path where the limit is crossed', () => {
    expect(load('ok.yaml', configMap('') + 'extra:\n' + nested(62)).diagnostics.map((d) => d.code)).not.toContain('LimitExceeded');
    const d = only('deep.yaml', `${ns('a')}spec:\n${nested(64)}`);
    expect(d).toMatchObject({ code: 'LimitExceeded', line: 68, column: 127, message: 'more than 64 levels of nesting (limit maxDepth)' });
    expect(d.path).toBe(['spec', ...Array.from({ length: 63 }, (_, i) => `k${i}`)].join('.'));
  });

  it('refuses 100,000 nested [ at a line and column, without exhausting the stack', () => {
    const d = only('brackets.yaml', `${ns('a')}spec: ${'['.repeat(100_000)}\n`);
    expect(d).toMatchObject({ code: 'LimitExceeded', line: 5, message: 'more than 64 levels of nesting (limit maxDepth): not parsed further' });
    expect(d.column).toBeGreaterThan(64);
  });

  it('turns a parser stack overflow into a diagnostic when the depth limit is configured beyond the stack', () => {
    const d = only('brackets.yaml', `${ns('a')}spec: ${'['.repeat(100_000)}\n`, { limits: { maxDepth: 1_000_000 } });
    expect(d.code).toBe('LimitExceeded');
    expect(d.message).toMatch(/^too large or too deeply nested to parse \(Maximum call stack size exceeded\)$/);
  });

  it('checks shapes iteratively: 200,000 levels of a value built in memory do not exhaust the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const limits = manifestLimits({ maxDepth: 1_000_000, maxNodes: 1_000_000 });
    expect(shapeProblem(deep, limits, true)).toBeUndefined();
    expect(shapeProblem(deep, limits, false)).toBeUndefined();
    expect(shapeProblem(deep, manifestLimits(), false)?.message).toBe('more than 64 levels of nesting (limit maxDepth)');
  });
});

describe('invalid UTF-8 and byte-order marks', () => {
  it('names the byte offset, line and column of the first invalid sequence', () => {
    const bytes = new Uint8Array([...bytesOf('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ñ'), 0xc3, 0x28, ...bytesOf('\n')]);
    const d = only('latin1.yaml', bytes);
    expect(formatDiagnostic(d)).toBe(
      'latin1.yaml:4:10: -: -: file is not valid UTF-8: bad byte sequence C3 28 0A at byte offset 51 (line 4, column 10); save it as UTF-8',
    );
    expect(d.code).toBe('InvalidEncoding');
    expect(only('trunc.yaml', new Uint8Array([0x61, 0x3a, 0x20, 0xe2, 0x82])).message).toContain('bad byte sequence E2 82 at byte offset 3 (line 1, column 4)');
    expect(only('surrogate.yaml', new Uint8Array([0x61, 0x0a, 0xed, 0xa0, 0x80])).message).toContain('at byte offset 2 (line 2, column 1)');
  });

  it('ignores a UTF-8 byte-order mark', () => {
    expect(load('bom.yaml', new Uint8Array([0xef, 0xbb, 0xbf, ...bytesOf(ns('a'))])).objects.map((o) => o.name)).toEqual(['a']);
  });

  it('refuses UTF-16 and UTF-32 by their byte-order marks: save as UTF-8', () => {
    const utf16le = new Uint8Array([0xff, 0xfe, ...[...ns('a')].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(lines('w.yaml', utf16le)).toEqual(['w.yaml:1:1: -: -: file starts with a UTF-16 LE (FF FE) byte-order mark: UTF-16 is not supported; save it as UTF-8']);
    expect(only('w.yaml', new Uint8Array([0xfe, 0xff, 0, 0x61])).message).toBe('file starts with a UTF-16 BE (FE FF) byte-order mark: UTF-16 is not supported; save it as UTF-8');
    expect(only('w.yaml', new Uint8Array([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0])).message).toContain('UTF-32 is not supported');
  });
});

describe('duplicate keys, tabs and non-string keys', () => {
  it('names a duplicate key and its line', () => {
    expect(lines('dup.yaml', `${ns('a')}  labels:\n    app: x\n    "app": y\n`)).toEqual(['dup.yaml:7:5: -: -: duplicate key "app": a mapping may name each key once']);
    expect(only('dup.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  name: b\n')).toMatchObject({
      code: 'YAMLSyntax',
      line: 5,
      column: 3,
      message: 'duplicate key name: a mapping may name each key once',
    });
  });

  it('says tabs are not allowed for indentation and points at the tab', () => {
    expect(lines('tab.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n\tname: a\n')).toEqual([
      'tab.yaml:4:1: -: -: tabs are not allowed for indentation; indent with spaces',
    ]);
    expect(lines('tab.yaml', `${ns('a')}  labels:\n  \tapp: x\n`)).toEqual(['tab.yaml:6:3: -: -: tabs are not allowed for indentation; indent with spaces']);
  });

  it('refuses sequences and mappings as keys, which Kubernetes cannot read', () => {
    expect(lines('k.yaml', `${ns('a')}  labels:\n    ? [a, b]\n    : x\n`)).toEqual([
      'k.yaml:7:5: -: -: the key before this ":" is a sequence: Kubernetes reads only strings, numbers and booleans as mapping keys',
    ]);
    expect(lines('k.yaml', `${ns('a')}  labels: {[a]: x}\n`)).toEqual([
      'k.yaml:5:15: -: -: the key before this ":" is a sequence: Kubernetes reads only strings, numbers and booleans as mapping keys',
    ]);
    expect(lines('k.yaml', `${ns('a')}  annotations:\n    {a: b}: x\n`)[0]).toContain('the key before this ":" is a mapping');
    expect(lines('k.yaml', `${ns('a')}  labels: &l {a: b}\n  annotations:\n    *l : x\n`)[0]).toContain('k.yaml:7:8: -: -: the key before this ":" is a mapping');
  });

  it('refuses keys Kubernetes would rename or refuse (octal, yes/no, null), accepts keys it reads back as written', () => {
    expect(lines('k.yaml', `${ns('a')}  labels:\n    0123: x\n    yes: y\n    ~: z\n`)).toEqual([
      'k.yaml:6:5: -: -: mapping key 0123 is read as number 83 by Kubernetes (YAML 1.1), renaming it to "83"; quote it ("0123") to keep it as written',
      'k.yaml:7:5: -: -: mapping key yes is read as boolean true by Kubernetes (YAML 1.1), renaming it to "true"; quote it ("yes") to keep it as written',
      'k.yaml:8:5: -: -: mapping key ~ is null: Kubernetes refuses it; quote it ("~") to use it as text',
    ]);
    const ok = load('k.yaml', `${ns('a')}  labels:\n    80: x\n    true: t\n    "0123": z\n`);
    expect(ok.diagnostics).toEqual([]);
    expect(ok.objects[0]!.body['metadata']).toEqual({ name: 'a', labels: { '80': 'x', true: 't', '0123': 'z' } });
  });
});

describe('numbers and booleans where strings belong, read as Kubernetes reads YAML 1.1', () => {
  it('refuses name: yes and namespace: 0123 with the value Kubernetes sees and how to keep the string', () => {
    expect(lines('y.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: yes\n')).toEqual([
      'y.yaml:4:3: Namespace/?: metadata.name: must be string, got boolean true; quote it to keep it a string: Kubernetes reads YAML 1.1, where unquoted yes, y, on and true are true',
    ]);
    expect(lines('o.yaml', configMap('  a: b\n').replace('namespace: a', 'namespace: 0123'))).toEqual([
      'o.yaml:5:3: ConfigMap/default/cm: metadata.namespace: must be string, got number 83; quote it to keep it a string: Kubernetes reads YAML 1.1, where unquoted digits are a number and a leading 0 makes it octal (0123 is 83)',
    ]);
    expect(lines('c.yaml', configMap('  debug: off\n'))[0]).toContain('data.debug: must be string, got boolean false; quote it to keep it a string: Kubernetes reads YAML 1.1, where unquoted no, n, off and false are false');
    expect(load('q.yaml', configMap('  debug: "off"\n  name: \'yes\'\n')).objects[0]!.body['data']).toEqual({ debug: 'off', name: 'yes' });
  });

  it('says once that powerState: on is a boolean, not also that it is no known power state', () => {
    const vm = 'apiVersion: vmoperator.vmware.com/v1alpha3\nkind: VirtualMachine\nmetadata:\n  name: web\n  namespace: team-a\nspec:\n  className: best-effort-small\n  imageName: ubuntu\n  storageClass: vsan\n  powerState: on\n';
    expect(lines('vm.yaml', vm)).toEqual([
      'vm.yaml:10:3: VirtualMachine/team-a/web: spec.powerState: must be string, got boolean true; quote it to keep it a string: Kubernetes reads YAML 1.1, where unquoted yes, y, on and true are true',
    ]);
    expect(lines('vm.yaml', vm.replace('powerState: on', 'powerState: Running'))).toEqual([
      'vm.yaml:10:3: VirtualMachine/team-a/web: spec.powerState: must be one of "PoweredOff", "PoweredOn", "Suspended"; got string "Running"',
    ]);
  });

  it('reads defaultMode: 0644 as 420, as Kubernetes does', () => {
    const pod = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: { name: p, namespace: a }',
      'spec:',
      '  containers: [{ name: c, image: busybox }]',
      '  volumes:',
      '    - name: config',
      '      configMap: { name: cm, defaultMode: 0644 }',
      '',
    ].join('\n');
    const result = load('pod.yaml', pod);
    expect(result.diagnostics).toEqual([]);
    const spec = result.objects[0]!.body['spec'] as { volumes: { configMap: { defaultMode: number } }[] };
    expect(spec.volumes[0]!.configMap.defaultMode).toBe(420);
  });

  it('resolves plain scalars with go-yaml v2’s table', () => {
    const table: [string, unknown][] = [
      ['yes', true], ['Yes', true], ['YES', true], ['y', true], ['Y', true], ['on', true], ['ON', true], ['true', true], ['True', true],
      ['no', false], ['N', false], ['off', false], ['Off', false], ['false', false], ['FALSE', false],
      ['yEs', 'yEs'], ['oN', 'oN'], ['"yes"', 'yes'], ["'0123'", '0123'],
      ['0123', 83], ['-0123', -83], ['0o17', 15], ['0x1F', 31], ['0X1f', 31], ['0b101', 5], ['+12', 12], ['1_000', 1000], ['0', 0], ['-0', 0],
      ['09', 9], ['1e3', 1000], ['.5', 0.5], ['-.5', -0.5], ['1.', 1], ['1_0.5', 10.5], ['.inf', Infinity], ['-.Inf', -Infinity],
      ['1e400', '1e400'], ['0x', '0x'], ['1:20', '1:20'], ['2001-12-14', '2001-12-14'], ['0o8', '0o8'], ['_1', '_1'], ['+', '+'],
      ['null', null], ['~', null], ['NULL', null],
    ];
    const text = table.map(([written], i) => `k${i}: ${written}`).join('\n') + '\n';
    const value = parseManifestFile('t.yaml', text).documents[0]!.value as Record<string, unknown>;
    expect(table.map(([written], i) => [written, value[`k${i}`]])).toEqual(table);
  });

  it('refuses .inf and .nan, which JSON cannot hold (kubectl: json: unsupported value), naming the field; quoted they are text', () => {
    const cm = (value: string) => configMap(`  note: x\n  limit: ${value}\n`);
    expect(lines('inf.yaml', cm('.inf'))).toEqual([
      'inf.yaml:8:3: ConfigMap/a/cm: data.limit: Infinity is not a number JSON can hold: Kubernetes refuses the document (json: unsupported value); quote it to keep it as text',
    ]);
    expect(lines('nan.yaml', cm('.nan'))[0]).toContain('data.limit: NaN is not a number JSON can hold');
    expect(load('q.yaml', cm('".inf"')).objects[0]!.body['data']).toMatchObject({ limit: '.inf' });
  });

  it('resolves << merge keys as go-yaml does', () => {
    const text = `${ns('a')}  labels:\n    <<: &base { team: a }\n    app: web\n`;
    expect(load('m.yaml', text).objects[0]!.body['metadata']).toEqual({ name: 'a', labels: { team: 'a', app: 'web' } });
  });
});

describe('missing metadata and names that are not DNS labels', () => {
  it('pins the schema messages', () => {
    expect(lines('m.yaml', 'apiVersion: v1\nkind: Namespace\n')).toEqual(['m.yaml:1:1: Namespace/?: metadata: required field is missing']);
    expect(lines('m.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n')).toEqual(['m.yaml:3:1: ConfigMap/default/?: metadata.name: required field is missing']);
    expect(lines('n.yaml', ns('Team_A'))).toEqual([
      "n.yaml:4:3: Namespace/Team_A: metadata.name: must be a lowercase RFC 1123 label: a-z, 0-9 and '-', starting and ending with a letter or digit; got string \"Team_A\"",
    ]);
    expect(lines('n.yaml', ns('a'.repeat(64)))[0]).toContain('metadata.name: must NOT have more than 63 characters');
  });
});

describe('control characters and NUL bytes', () => {
  it('names the line and column of a control character, in a value or in a comment, and reads the other documents', () => {
    const result = load('ctl.yaml', `${ns('a')}---\n${ns('b')}  labels:\n    bell: "a\u0007b"\n---\n# a form feed \f here\n${ns('c')}---\n${ns('d')}`);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'ctl.yaml:11:13: -: -: control character U+0007 is not allowed in YAML; inside a double-quoted string write it as the escape "\\u0007"',
      'ctl.yaml:13:15: -: -: control character U+000C is not allowed in YAML; inside a double-quoted string write it as the escape "\\u000C"',
    ]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['ControlCharacter', 'ControlCharacter']);
    expect(result.objects.map((o) => o.name)).toEqual(['a', 'd']);
    expect(load('esc.yaml', `${ns('a')}  annotations:\n    bell: "a\\u0007b"\n`).diagnostics).toEqual([]);
  });

  it('says where a NUL byte is and what it suggests', () => {
    expect(lines('nul.yaml', new Uint8Array([...bytesOf('apiVersion: v1\nkind: Namespace\nmetadata:\n  na'), 0, ...bytesOf('me: a\n')]))).toEqual([
      'nul.yaml:4:5: -: -: a NUL byte (U+0000) is not allowed in YAML: is this a binary or UTF-16 file?',
    ]);
  });
});

describe('a Secret value is never echoed', () => {
  it('names the field, type and length of an invalid Secret value, never the value', () => {
    const text = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: db',
      '  namespace: team-a',
      'data:',
      '  password: "hunter2-not-base64!"',
      '  pin: 12345',
      'stringData:',
      '  token: 98765',
      '',
    ].join('\n');
    const lines = load('namespaces/team-a/db.yaml', text).diagnostics.map(formatDiagnostic);
    expect(lines).toEqual([
      expect.stringMatching(/^namespaces\/team-a\/db\.yaml:7:3: Secret\/team-a\/db: data\.password: must match pattern .*; got a string of 19 characters \(a Secret's value is not shown\)$/),
      expect.stringMatching(/^namespaces\/team-a\/db\.yaml:8:3: Secret\/team-a\/db: data\.pin: must be string, got a number \(a Secret's value is not shown\); quote it/),
      expect.stringMatching(/^namespaces\/team-a\/db\.yaml:10:3: Secret\/team-a\/db: stringData\.token: must be string, got a number \(a Secret's value is not shown\); quote it/),
    ]);
    for (const secret of ['hunter2', '12345', '98765']) expect(lines.join('\n')).not.toContain(secret);
    // Other kinds still show the value that is wrong.
    expect(load('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  pin: 12345\n').diagnostics.map(formatDiagnostic).join('\n')).toContain('got number 12345');
  });
});
