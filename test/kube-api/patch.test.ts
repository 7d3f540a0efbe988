/** The patches kubectl sends: JSON merge patch and strategic merge patch with its directives. */
import { describe, expect, it } from 'vitest';
import { mergePatch, patchTypeOf, strategicMergePatch } from '../../daemon/kube-api/patch.js';

const deployment = {
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'web:1', ports: [{ containerPort: 80 }, { containerPort: 443 }], env: [{ name: 'A', value: '1' }] },
          { name: 'sidecar', image: 'proxy:1' } as { name: string; image: string; ports?: { containerPort: number }[]; env?: unknown[] },
        ],
      },
    },
  },
};

describe('JSON merge patch (RFC 7386)', () => {
  it('merges objects, deletes on null, replaces lists whole', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] })).toEqual({ a: { c: 2, d: 3 }, l: [3] });
  });
});

describe('strategic merge patch', () => {
  it('merges containers by name and ports by containerPort', () => {
    const patched = strategicMergePatch(deployment, { spec: { template: { spec: { containers: [{ name: 'web', image: 'web:2', ports: [{ containerPort: 8080 }] }] } } } }) as typeof deployment;
    const [web, sidecar] = patched.spec.template.spec.containers;
    expect(web).toMatchObject({ name: 'web', image: 'web:2', env: [{ name: 'A', value: '1' }] });
    expect(web!.ports!.map((p) => p.containerPort)).toEqual([80, 443, 8080]);
    expect(sidecar).toEqual({ name: 'sidecar', image: 'proxy:1' });
  });

  it('deletes an item with $patch: delete and orders by $setElementOrder, as kubectl sends them', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }],
            containers: [{ name: 'web', '$setElementOrder/ports': [{ containerPort: 443 }], ports: [{ containerPort: 80, $patch: 'delete' }] }],
          },
        },
      },
    };
    const patched = strategicMergePatch(deployment, patch) as typeof deployment;
    expect(patched.spec.template.spec.containers.map((c) => c.name)).toEqual(['sidecar', 'web']);
    expect(patched.spec.template.spec.containers[1]!.ports!.map((p) => p.containerPort)).toEqual([443]);
  });

  it('keeps only $retainKeys, removes from primitive lists, replaces a map with $patch: replace', () => {
    expect(strategicMergePatch({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }, { strategy: { $retainKeys: ['type'], type: 'Recreate' } })).toEqual({ strategy: { type: 'Recreate' } });
    expect(strategicMergePatch({ finalizers: ['a', 'b'] }, { '$deleteFromPrimitiveList/finalizers': ['a'] })).toEqual({ finalizers: ['b'] });
    expect(strategicMergePatch({ labels: { a: '1', b: '2' } }, { labels: { $patch: 'replace', c: '3' } })).toEqual({ labels: { c: '3' } });
    expect(strategicMergePatch({ spec: { ports: [{ port: 80, name: 'http' }] } }, { spec: { ports: [{ port: 80, targetPort: 8080 }] } })).toEqual({ spec: { ports: [{ port: 80, name: 'http', targetPort: 8080 }] } });
  });

  it('knows the patch types by content type', () => {
    expect(patchTypeOf('application/merge-patch+json')).toBe('merge');
    expect(patchTypeOf('application/strategic-merge-patch+json')).toBe('strategic');
    expect(patchTypeOf('application/apply-patch+yaml; charset=utf-8')).toBe('apply');
    expect(patchTypeOf('text/plain')).toBeUndefined();
  });
});
