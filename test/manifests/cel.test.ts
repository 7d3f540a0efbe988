/**
 * The `x-kubernetes-validations` keyword: CEL rules evaluated with `self` bound to their node, failures
 * reported at the field with the rule's message, and rules that cannot be judged (transition rules,
 * rules the evaluator cannot compile) listed by `skippedCelRules()` instead of passing silently.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { celRule, celRuleSites, compileCelRule } from '../../daemon/manifests/cel.js';
import { bool, enumOf, int, intOrString, list, obj, str, withDefault } from '../../daemon/manifests/definitions/dsl/builders.js';
import { documentSchema, type KindDefinition } from '../../daemon/manifests/definitions/dsl/kind.js';
import { loadManifestFile } from '../../daemon/manifests/load.js';
import { SchemaRegistry } from '../../daemon/manifests/schema-registry.js';
import type { Diagnostic } from '../../daemon/manifests/types.js';
import { conformanceDir, hasConformance } from '../support/conformance.js';

const widget: KindDefinition = {
  group: 'test.pacific.dev',
  version: 'v1',
  kind: 'Widget',
  namespaced: true,
  nameFormat: 'dns-subdomain',
  fields: {
    spec: obj(
      {
        size: int(),
        replicas: int({ cel: [{ rule: 'self <= 10' }] }),
        cpu: intOrString({ cel: [{ rule: "type(self) != string || !self.endsWith('m')", message: 'CPU must be whole' }] }),
        mode: withDefault(enumOf('Fast', 'Slow'), 'Slow'),
        turbo: bool(),
        tags: list(str(), { cel: [{ rule: "self.all(t, t.matches('^[a-z]+$'))", message: 'tags are lower-case words' }] }),
        secret: obj({ key: str({ default: 'password' }), name: str() }, { required: ['key', 'name'] }),
        members: list(obj({ kind: withDefault(enumOf('VM', 'Group'), 'VM'), name: str() }, { required: ['name'] }), { mapKeys: ['kind', 'name'] }),
        limits: obj({ max: int() }, { cel: [{ rule: 'self.max > 0', message: 'max must be positive' }] }),
      },
      {
        cel: [
          { rule: "!has(self.turbo) || !self.turbo || self.mode == 'Fast'", message: 'turbo needs mode Fast' },
          { rule: '!has(self.size) || !has(oldSelf.size) || self.size >= oldSelf.size', message: 'size may only grow' },
          { rule: "isURL(self.mode)", message: 'not a Kubernetes CEL function the evaluator has' },
          { rule: "!has(self.size) || string(self.size).matches('(?i)^[0-9]+$')" },
        ],
      },
    ),
  },
};

const registry = SchemaRegistry.fromSchemas([documentSchema(widget)]);

function diagnostics(spec: string): Diagnostic[] {
  const text = `apiVersion: test.pacific.dev/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n${spec}`;
  return loadManifestFile('widget.yaml', new TextEncoder().encode(text), registry).diagnostics.filter((d) => d.severity === 'error');
}

const brief = (ds: Diagnostic[]) => ds.map((d) => `${d.path}: ${d.message}`);

describe('CEL validation rules (x-kubernetes-validations)', () => {
  it('accepts a document every evaluated rule holds for', () => {
    expect(brief(diagnostics('  size: 3\n  replicas: 2\n  cpu: "2"\n  mode: Fast\n  turbo: true\n  tags: [web, db]\n  limits: {max: 4}\n'))).toEqual([]);
  });

  it('reports a failing rule at its field with the rule message', () => {
    expect(brief(diagnostics('  turbo: true\n'))).toEqual(['spec: turbo needs mode Fast']);
    expect(brief(diagnostics('  limits: {max: 0}\n'))).toEqual(['spec.limits: max must be positive']);
    expect(brief(diagnostics('  tags: [web, DB]\n'))).toEqual(['spec.tags: tags are lower-case words']);
  });

  it('names the rule itself when it has no message', () => {
    expect(brief(diagnostics('  replicas: 11\n'))).toEqual(['spec.replicas: failed rule: self <= 10']);
  });

  it('binds int-or-string values with their JSON type (string vs CEL int)', () => {
    expect(brief(diagnostics('  cpu: 500m\n'))).toEqual(['spec.cpu: CPU must be whole']);
    expect(brief(diagnostics('  cpu: 4\n'))).toEqual([]);
  });

  it('reports an evaluation error (a field the rule reads is absent) as a failure, not a pass', () => {
    const [d, ...rest] = diagnostics('  limits: {}\n');
    expect(rest).toEqual([]);
    expect(d?.path).toBe('spec.limits');
    expect(d?.message).toMatch(/^max must be positive \(evaluation error: .*max/);
  });

  it('lets defaults apply before validation: the rule sees them, and a required defaulted field is never missing', () => {
    // `mode` defaults to Slow, so turbo fails; `secret.key` defaults to "password".
    expect(brief(diagnostics('  turbo: true\n  secret: {name: s}\n'))).toEqual(['spec: turbo needs mode Fast']);
    expect(brief(diagnostics('  secret: {key: k}\n'))).toEqual(['spec.secret.name: required field is missing']);
    // A list-map key left out takes its default before duplicates are looked for.
    expect(brief(diagnostics('  members: [{name: a}, {kind: VM, name: a}, {kind: Group, name: a}]\n'))).toEqual([
      'spec.members[1]: duplicate entry with kind="VM", name="a" (first at [0])',
    ]);
  });

  it('skips transition rules (oldSelf) and rules it cannot compile, and lists each with the reason', () => {
    expect(registry.skippedCelRules()).toEqual([
      expect.objectContaining({
        group: 'test.pacific.dev',
        version: 'v1',
        kind: 'Widget',
        path: 'spec',
        rule: '!has(self.size) || !has(oldSelf.size) || self.size >= oldSelf.size',
        reason: expect.stringContaining('transition rule'),
      }),
      expect.objectContaining({ path: 'spec', rule: 'isURL(self.mode)', reason: expect.stringContaining('cannot compile') }),
      expect.objectContaining({ path: 'spec', reason: expect.stringContaining('not an ECMAScript regular expression') }),
    ]);
    expect(registry.celRules()).toHaveLength(8);
    // Skipped rules never fail a document: a shrinking size cannot be seen without the old object.
    expect(brief(diagnostics('  size: 1\n'))).toEqual([]);
  });

  it('compiles each distinct rule once', () => {
    expect(celRule('self <= 10')).toBe(celRule('self <= 10'));
    const compiled = compileCelRule('self.a == 1');
    expect(compiled.status).toBe('evaluated');
    expect(compileCelRule('self.a ==').status).toBe('skipped');
  });
});

/** Every CRD document below the corpus `crds/` folder, all projects. */
function corpusCrdDocuments(): { file: string; crd: { spec?: { names?: { kind?: string }; group?: string; versions?: { name: string; schema?: { openAPIV3Schema?: Record<string, unknown> } }[] } } }[] {
  const out: ReturnType<typeof corpusCrdDocuments> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.yaml')) for (const crd of yaml.loadAll(readFileSync(path, 'utf8'))) if (crd && typeof crd === 'object') out.push({ file: path, crd: crd as never });
    }
  };
  walk(join(conformanceDir, 'crds'));
  return out;
}

describe.skipIf(!hasConformance)('CEL rules of the whole corpus (every project)', () => {
  it('compiles every rule but the transition rules, which are skipped as such', () => {
    const sites = corpusCrdDocuments().flatMap(({ crd }) =>
      (crd.spec?.versions ?? []).flatMap((v) =>
        v.schema?.openAPIV3Schema ? celRuleSites(v.schema.openAPIV3Schema, { group: crd.spec?.group ?? '', version: v.name, kind: crd.spec?.names?.kind ?? '' }) : [],
      ),
    );
    const start = performance.now();
    const compiled = sites.map((site) => ({ site, result: compileCelRule(site.rule) }));
    const compileMs = performance.now() - start;
    const transition = compiled.filter(({ site }) => /\boldSelf\b/.test(site.rule));
    const problems = compiled
      .filter(({ site, result }) => (result.status === 'skipped') !== /\boldSelf\b/.test(site.rule))
      .map(({ site, result }) => `${site.kind} ${site.version} ${site.path}: ${site.rule} → ${result.status === 'skipped' ? result.reason : 'evaluated'}`);
    console.log(
      `[pacific] CEL in the corpus CRDs: ${sites.length} rules (${new Set(sites.map((s) => s.rule)).size} distinct), ` +
        `${sites.length - transition.length} evaluated, ${transition.length} transition rules skipped; compiled in ${compileMs.toFixed(1)} ms ` +
        `(${((compileMs * 1000) / Math.max(sites.length, 1)).toFixed(0)} µs a rule, uncached)`,
    );
    expect(problems).toEqual([]);
    expect(transition.every(({ result }) => result.status === 'skipped' && result.reason.startsWith('transition rule'))).toBe(true);
    // EXPECTED.md: "CEL rules (x-kubernetes-validations, 84 of them, 32 comparing with the old object)".
    expect([sites.length, transition.length]).toEqual([84, 32]);
  });
});
