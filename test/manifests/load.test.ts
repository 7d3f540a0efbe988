import { describe, expect, it } from 'vitest';
import { assembleManifests, loadManifestFile } from '../../daemon/manifests/load.js';
import { isManifestPath } from '../../daemon/source/manifest-path.js';
import { SchemaRegistry } from '../../daemon/manifests/schema-registry.js';
import { formatDiagnostic } from '../../daemon/manifests/types.js';
import { renderSchemas } from '../../daemon/manifests/definitions/generate.js';

const registry = SchemaRegistry.fromSchemas([...renderSchemas().values()].map((s) => JSON.parse(s)));
const load = (file: string, text: string) => loadManifestFile(file, new TextEncoder().encode(text), registry);
const lines = (file: string, text: string) => load(file, text).diagnostics.map(formatDiagnostic);

describe('manifest loader', () => {
  it('keeps the file and line of every document of a multi-document file', () => {
    const result = load(
      'ns.yaml',
      ['# tenants', 'apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: team-a', '---', '', 'apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: team-b', ''].join('\n'),
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.objects.map((o) => [o.name, o.source.line])).toEqual([
      ['team-a', 2],
      ['team-b', 8],
    ]);
    expect(result.objects[0]!.key).toBe('/Namespace//team-a');
  });

  it('reports a YAML syntax error at its line and still reads the other documents', () => {
    const result = load('bad.yaml', ['apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: ok', '---', 'apiVersion: v1', 'kind: [Namespace', ''].join('\n'));
    expect(result.objects.map((o) => o.name)).toEqual(['ok']);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: 'YAMLSyntax', file: 'bad.yaml', line: 8 });
  });

  it('names unknown apiVersion/kind with file and line', () => {
    expect(lines('x.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n')).toEqual([
      'x.yaml:1:1: Widget/w: apiVersion: unsupported apiVersion/kind "example.com/v1" "Widget"',
    ]);
    expect(lines('x.yaml', 'apiVersion: v2\nkind: Namespace\nmetadata:\n  name: w\n')[0]).toContain('Namespace is served at v1');
  });

  it('reports wrong types, missing required fields and unknown fields at their lines', () => {
    const text = ['apiVersion: v1', 'kind: ResourceQuota', 'metadata:', '  namespace: team-a', '  nme: q', 'spec:', '  hard:', '    limits.cpu: [1]', ''].join('\n');
    expect(lines('q.yaml', text)).toEqual([
      'q.yaml:3:1: ResourceQuota/team-a/?: metadata.name: required field is missing',
      'q.yaml:5:3: ResourceQuota/team-a/?: metadata.nme: unknown field "nme"',
      'q.yaml:8:5: ResourceQuota/team-a/?: spec.hard.limits.cpu: must be an integer or a string; got an array',
    ]);
  });

  it('refuses names that are not DNS labels and quantities that do not parse', () => {
    const out = lines('n.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Team_A\n');
    expect(out[0]).toMatch(/^n\.yaml:4:3: Namespace\/Team_A: metadata\.name: must be a lowercase RFC 1123 label/);
    const quota = lines('q.yaml', 'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q\n  namespace: a\nspec:\n  hard:\n    limits.memory: lots\n');
    expect(quota[0]).toMatch(/q\.yaml:8:5: .*spec\.hard\.limits\.memory: must be a Kubernetes quantity/);
  });

  it('refuses duplicate mapping keys', () => {
    const result = load('d.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  name: b\n');
    expect(result.diagnostics[0]).toMatchObject({ code: 'YAMLSyntax', line: 5 });
  });

  it('names both places when the same object is declared twice', () => {
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n';
    const loaded = assembleManifests([load('a.yaml', ns), load('b/c.yaml', '# x\n' + ns)]);
    expect(loaded.objects).toEqual([]);
    expect(loaded.diagnostics.map(formatDiagnostic)).toEqual([
      'a.yaml:1:1: Namespace/team-a: metadata.name: the same object is declared 2 times: a.yaml:1, b/c.yaml:2',
      'b/c.yaml:2:1: Namespace/team-a: metadata.name: the same object is declared 2 times: a.yaml:1, b/c.yaml:2',
    ]);
  });

  it('drops nulls and status, and defaults the namespace of namespaced kinds as kubectl does', () => {
    const result = load('q.yaml', 'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q\n  labels: null\nspec:\n  hard:\n    limits.cpu: 4\nstatus:\n  used: {}\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.objects[0]).toMatchObject({ namespace: 'default', key: '/ResourceQuota/default/q' });
    expect(result.objects[0]!.body).toEqual({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { 'limits.cpu': 4 } } });
  });

  it('reports invalid UTF-8 and ignores a byte-order mark', () => {
    const bad = loadManifestFile('bin.yaml', new Uint8Array([0x61, 0x3a, 0x20, 0xff, 0xfe]), registry);
    expect(bad.diagnostics[0]).toMatchObject({ code: 'InvalidEncoding', file: 'bin.yaml' });
    expect(load('bom.yaml', '\uFEFFapiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n').objects).toHaveLength(1);
  });

  it('selects yaml files outside dot-folders', () => {
    expect(['a.yaml', 'b/c.yml', '.github/x.yaml', 'a/.hidden/y.yaml', 'README.md'].filter(isManifestPath)).toEqual(['a.yaml', 'b/c.yml']);
  });
});
