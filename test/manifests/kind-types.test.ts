import { describe, expect, it } from 'vitest';
import { typeOf } from '../../daemon/manifests/definitions/dsl/typescript.js';
import { anyValue, enumOf, intOrString, list, mapOf, obj, openObject, quantity, str, int } from '../../daemon/manifests/definitions/dsl/builders.js';
import { liveSpecOf, specOf } from '../../daemon/manifests/typed-spec.js';
import type { ReplicaSetSpecV1 } from '../../daemon/manifests/kinds.generated.js';
import { manifests } from '../support/fixtures.js';

describe('the TypeScript type of a DSL schema', () => {
  it('marks required fields, spells enums as literals and keeps every member readonly', () => {
    const schema = obj({ name: str(), mode: enumOf('Hard', 'Soft'), count: int() }, { required: ['name'] });
    expect(typeOf(schema)).toBe(['{', '  readonly name: string;', '  readonly mode?: "Hard" | "Soft";', '  readonly count?: number;', '}'].join('\n'));
  });

  it('types maps, lists of lists, int-or-string, quantities and free-form values', () => {
    expect(typeOf(mapOf(quantity()))).toBe('{\n  readonly [key: string]: number | string;\n}');
    expect(typeOf(list(list(str())))).toBe('readonly (readonly string[])[]');
    expect(typeOf(list(intOrString()))).toBe('readonly (number | string)[]');
    expect(typeOf(anyValue())).toBe('unknown');
    expect(typeOf(openObject({ a: str() }))).toBe('{\n  readonly a?: string;\n  readonly [key: string]: unknown;\n}');
  });
});

const deployment = manifests({
  'apps/web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: team-a}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
`,
})[0]!;

describe('a validated spec through its kind', () => {
  it('is the body of the object, typed by its kind', () => {
    const spec = specOf(deployment, 'Deployment');
    expect(spec.replicas).toBe(3);
    expect(spec.template.spec.containers[0]?.image).toBe('nginx');
  });

  it('refuses to read one kind as another', () => {
    expect(() => specOf(deployment, 'VirtualMachine')).toThrow("a Deployment's spec read as a VirtualMachine's");
    expect(() => liveSpecOf({ kind: 'ReplicaSet', spec: {} }, 'Deployment')).toThrow("a ReplicaSet's spec read as a Deployment's");
  });

  it('has one type per kind: a second, different one does not compile', () => {
    const live = { kind: 'ReplicaSet', spec: { replicas: 1, selector: {}, template: { spec: { containers: [] } } } };
    const spec: ReplicaSetSpecV1 | undefined = liveSpecOf(live, 'ReplicaSet');
    // @ts-expect-error a hand-written spec type that disagrees with the definition (replicas is a number) is refused
    const wrong: { replicas: string } | undefined = liveSpecOf(live, 'ReplicaSet');
    expect(spec?.replicas).toBe(1);
    expect(wrong).toBe(spec);
  });
});
