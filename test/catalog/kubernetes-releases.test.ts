import { describe, expect, it } from 'vitest';
import { releaseByName, releaseProblem, resolveVersionHint, upgradeProblem } from '../../daemon/catalog/kubernetes-releases.js';

describe('Tanzu Kubernetes releases', () => {
  it('spells a release version with + where its name has ---, and resolves version hints to the newest compatible release', () => {
    expect(releaseByName('v1.29.4---vmware.3-fips.1-tkg.1')).toMatchObject({ version: 'v1.29.4+vmware.3-fips.1-tkg.1', kubernetesVersion: 'v1.29.4' });
    expect(resolveVersionHint('v1.29')?.name).toBe('v1.29.4---vmware.3-fips.1-tkg.1');
    expect(resolveVersionHint('1.30.8')?.name).toBe('v1.30.8---vmware.1-fips-vkr.1');
    expect(resolveVersionHint('v1.21')).toBeUndefined(); // incompatible only
    expect(resolveVersionHint('v1.2')).toBeUndefined(); // a prefix of v1.22, not a version
  });

  it('refuses unknown and incompatible releases, downgrades and skipped minors', () => {
    expect(releaseProblem('v1.29.4+vmware.3-fips.1-tkg.1')).toBeUndefined();
    expect(releaseProblem('v1.31.0')).toMatch(/^unknown TanzuKubernetesRelease for version v1\.31\.0/);
    expect(releaseProblem('v1.21.6+vmware.1-tkg.1.b3d708a')).toMatch(/not compatible/);
    const r = (name: string) => releaseByName(name)!;
    expect(upgradeProblem(r('v1.29.4---vmware.3-fips.1-tkg.1'), r('v1.30.8---vmware.1-fips-vkr.1'))).toBeUndefined();
    expect(upgradeProblem(r('v1.28.8---vmware.1-fips.1-tkg.2'), r('v1.30.8---vmware.1-fips-vkr.1'))).toMatch(/one minor version at a time \(next: v1\.29\)$/);
    expect(upgradeProblem(r('v1.30.8---vmware.1-fips-vkr.1'), r('v1.29.4---vmware.3-fips.1-tkg.1'))).toMatch(/^cannot downgrade/);
  });
});
