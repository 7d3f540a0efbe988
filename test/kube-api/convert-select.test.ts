/** Serving a VirtualMachine at another version, and the label and field selectors of reads. */
import { describe, expect, it } from 'vitest';
import { convert } from '../../daemon/kube-api/convert.js';
import { fieldSelector, labelSelector, SelectorError } from '../../daemon/kube-api/selectors.js';
import { humanDuration } from '../../daemon/kube-api/age.js';
import { goJson } from '../../daemon/kube-api/go-json.js';

describe('VirtualMachine conversion', () => {
  it('goes from v1alpha1 through the internal shape', () => {
    const { spec, status } = convert('VirtualMachine', 'vmoperator.vmware.com/v1alpha1', 'vmoperator.vmware.com/v1alpha5', { className: 'small', imageName: 'ubuntu', powerState: 'poweredOff', networkInterfaces: [{ networkName: 'vm-net' }] }, { powerState: 'poweredOff', vmIp: '10.0.0.5', host: 'esx-01' });
    expect(spec).toMatchObject({ className: 'small', imageName: 'ubuntu', powerState: 'PoweredOff', powerOffMode: 'Hard', network: { interfaces: [{ name: 'eth0', network: { name: 'vm-net' } }] } });
    expect(status).toEqual({ powerState: 'PoweredOff', network: { primaryIP4: '10.0.0.5' }, nodeName: 'esx-01' });
  });

  it('moves the CD-ROM under hardware from v1alpha5 and the host to nodeName from v1alpha4', () => {
    const up = convert('VirtualMachine', 'vmoperator.vmware.com/v1alpha3', 'vmoperator.vmware.com/v1alpha5', { className: 'small', cdrom: [{ name: 'cd' }] }, { host: 'esx-02' });
    expect(up).toEqual({ spec: { className: 'small', hardware: { cdrom: [{ name: 'cd' }] } }, status: { nodeName: 'esx-02' } });
    const down = convert('VirtualMachine', 'vmoperator.vmware.com/v1alpha5', 'vmoperator.vmware.com/v1alpha1', { className: 'small', powerState: 'PoweredOn' }, { powerState: 'PoweredOn', network: { primaryIP4: '10.0.0.6' } });
    expect(down.spec).toMatchObject({ className: 'small', powerState: 'poweredOn' });
    expect(down.status).toMatchObject({ powerState: 'poweredOn', vmIp: '10.0.0.6', phase: 'Created' });
  });

  it('changes nothing but apiVersion for other kinds (conversion strategy None)', () => {
    const spec = { ports: [{ port: 80 }] };
    expect(convert('VirtualMachineService', 'vmoperator.vmware.com/v1alpha1', 'vmoperator.vmware.com/v1alpha5', spec, undefined).spec).toBe(spec);
  });
});

describe('selectors', () => {
  it('reads the label selector grammar', () => {
    const labels = { tier: 'web', app: 'shop' };
    const cases: [string, boolean][] = [['tier=web', true], ['tier==db', false], ['tier!=db', true], ['tier in (db, web)', true], ['tier notin (web)', false], ['app', true], ['!app', false], ['tier=web,app in (shop)', true], ['missing!=x', true]];
    for (const [text, matches] of cases) expect(labelSelector(text)(labels), text).toBe(matches);
    expect(() => labelSelector('a b c')).toThrow(SelectorError);
  });

  it('reads the fields each kind supports and refuses others', () => {
    const pod = { metadata: { name: 'p', namespace: 'team-a' }, spec: { nodeName: 'esx-01' }, status: { phase: 'Running' } };
    expect(fieldSelector('Pod', 'status.phase=Running,spec.nodeName=esx-01,metadata.name!=q')(pod)).toBe(true);
    expect(fieldSelector('Pod', 'metadata.namespace=team-b')(pod)).toBe(false);
    expect(() => fieldSelector('VirtualMachine', 'spec.className=x')).toThrow('is not a known field selector');
  });
});

describe('what kubectl prints as the server wrote it', () => {
  it('renders ages as the API server does', () => {
    const s = 1000;
    expect([59 * s, 150 * s, 601 * s, 3 * 3600 * s + 5 * 60 * s, 50 * 3600 * s, 9 * 86400 * s, 800 * 86400 * s].map(humanDuration)).toEqual(['59s', '2m30s', '10m', '3h5m', '2d2h', '9d', '2y70d']);
  });

  it('encodes JSON as Go does for last-applied-configuration', () => {
    expect(goJson({ b: '<&>', a: [1, 1.5], c: undefined })).toBe('{"a":[1,1.5],"b":"\\u003c\\u0026\\u003e"}\n');
  });
});
