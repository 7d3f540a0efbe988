/**
 * CAPV in govmomi mode (`infrastructure.cluster.x-k8s.io`, v1beta1 and v1beta2): VSphereCluster,
 * VSphereMachine and their templates for clusters CAPV builds directly on vCenter. Same kind names
 * as the Supervisor group, unrelated schemas: kinds are keyed on group+version+kind. v1beta2 bounds
 * nearly every string and list, renames `namingStrategy` and drops `failureDomain` and
 * `preferredAPIServerCidr` from machines.
 */
import { bool, enumOf, int, list, mapOf, obj, quantity, str, type Schema } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import { contractRef, type CapiVersion } from './capi-common.js';
import { defaulted, filled, req, text } from './dsl-extra.js';
import { labelSelector, labelsAndAnnotations } from './kubernetes-core.js';

/** The API group CAPV uses outside the Supervisor. */
export const GOVMOMI_GROUP = 'infrastructure.cluster.x-k8s.io';

/** Builders that bound a field at v1beta2 and leave it free at v1beta1. */
function bounds(version: CapiVersion) {
  const v2 = version === 'v1beta2';
  return {
    v2,
    s: (maxLength: number): Schema => (v2 ? text(maxLength) : str()),
    i: (minimum: number): Schema => (v2 ? int({ minimum }) : int()),
    l: (items: Schema, maxItems: number): Schema => (v2 ? list(items, { maxItems }) : list(items)),
    o: (fields: Record<string, Schema>): Schema => (v2 ? filled(fields) : obj(fields)),
  };
}

function vsphereClusterSpec(version: CapiVersion): Schema {
  const { v2, s, l, o } = bounds(version);
  const fields: Record<string, Schema> = {
    clusterModules: l(req(['controlPlane', 'moduleUUID', 'targetObjectName'], { controlPlane: bool(), moduleUUID: s(2048), targetObjectName: s(253) }), 512),
    controlPlaneEndpoint: o({ host: s(512), port: v2 ? int({ minimum: 1, maximum: 65535 }) : int() }),
    disableClusterModule: bool(),
    failureDomainSelector: labelSelector,
    identityRef: req(['kind', 'name'], { kind: enumOf('VSphereClusterIdentity', 'Secret'), name: v2 ? text(253) : str({ minLength: 1 }) }),
    server: s(1024),
    thumbprint: s(1024),
  };
  return v2 ? req(['server'], fields) : obj(fields);
}

function dhcpOverrides(version: CapiVersion): Schema {
  const { v2, i } = bounds(version);
  const upTo = (maxLength: number) => (v2 ? str({ maxLength }) : str());
  return obj({
    hostname: upTo(1024),
    routeMetric: i(0),
    sendHostname: bool(),
    useDNS: bool(),
    useDomains: upTo(128),
    useHostname: bool(),
    useMTU: bool(),
    useNTP: bool(),
    useRoutes: upTo(128),
  });
}

function vsphereMachineSpec(version: CapiVersion): Schema {
  const { v2, s, i, l, o } = bounds(version);
  const route = req(['metric', 'to', 'via'], { metric: i(0), to: s(39), via: s(39) });
  const device = req(['networkName'], {
    addressesFromPools: l(v2 ? contractRef : req(['kind', 'name'], { apiGroup: str(), kind: str(), name: str() }), 128),
    deviceName: s(1024),
    dhcp4: bool(),
    dhcp4Overrides: dhcpOverrides(version),
    dhcp6: bool(),
    dhcp6Overrides: dhcpOverrides(version),
    gateway4: s(64),
    gateway6: s(64),
    ipAddrs: l(s(39), 128),
    macAddr: s(23),
    mtu: int(),
    nameservers: l(s(64), 128),
    networkName: s(2048),
    routes: l(route, 512),
    searchDomains: l(s(1024), 128),
    skipIPAllocation: bool(),
  });
  const cpuMemory = filled({ cpu: quantity(), memory: quantity() });
  return req(['network', 'template'], {
    additionalDisksGiB: l(int(), 128),
    cloneMode: v2 ? enumOf('fullClone', 'linkedClone') : str(),
    cryptoKeyID: text(128),
    cryptoProfile: text(128),
    customVMXKeys: mapOf(str()),
    dataDisks: list(
      req(['name', 'sizeGiB'], { name: s(1024), provisioningMode: enumOf('Thin', 'Thick', 'EagerlyZeroed'), sizeGiB: i(1) }),
      { maxItems: 29, mapKeys: ['name'] },
    ),
    datacenter: s(2048),
    datastore: s(2048),
    diskGiB: i(1),
    ...(v2 ? {} : { failureDomain: str() }),
    folder: s(2048),
    ftEncryptionMode: enumOf('ftEncryptionDisabled', 'ftEncryptionOpportunistic', 'ftEncryptionRequired'),
    ...(v2 ? { guestSoftPowerOffTimeoutSeconds: int({ minimum: 1 }) } : { guestSoftPowerOffTimeout: str() }),
    hardwareVersion: s(128),
    memoryMiB: i(1),
    migrateEncryption: enumOf('disabled', 'opportunistic', 'required'),
    [v2 ? 'naming' : 'namingStrategy']: o({ template: s(1024) }),
    nestedHV: bool(),
    network: req(['devices'], { devices: l(device, 128), ...(v2 ? {} : { preferredAPIServerCidr: str() }), routes: l(route, 512) }),
    numCPUs: i(2),
    numCoresPerSocket: i(0),
    os: s(128),
    pciDevices: l(obj({ customLabel: s(1024), deviceId: int(), vGPUProfile: s(1024), vendorId: int() }), 128),
    powerOffMode: v2 ? enumOf('hard', 'soft', 'trySoft') : defaulted(enumOf('hard', 'soft', 'trySoft'), 'hard'),
    providerID: s(512),
    resourcePool: s(2048),
    resources: filled({
      limits: cpuMemory,
      requests: cpuMemory,
      shares: filled({ cpu: int({ minimum: 1 }), memory: int({ minimum: 1 }) }),
    }),
    server: s(1024),
    snapshot: s(1024),
    storagePolicyName: s(1024),
    tagIDs: l(s(1024), 128),
    template: v2 ? text(2048) : str({ minLength: 1 }),
    thumbprint: s(1024),
  });
}

/** `spec.template` of a govmomi template kind: metadata only where the CRD has it. */
function template(version: CapiVersion, spec: Schema, withMetadataAtV1beta1: boolean): Schema {
  if (version === 'v1beta2') return req(['template'], { template: filled({ metadata: filled(labelsAndAnnotations), spec }) });
  return req(['template'], { template: req(['spec'], { ...(withMetadataAtV1beta1 ? { metadata: obj(labelsAndAnnotations) } : {}), spec }) });
}

function govmomiKind(version: CapiVersion, kind: string, spec: Schema, required: readonly string[]): KindDefinition {
  return { group: GOVMOMI_GROUP, version, kind, namespaced: true, nameFormat: 'dns-subdomain', fields: { spec }, ...(required.length ? { required } : {}) };
}

/** VSphereCluster, VSphereClusterTemplate, VSphereMachine and VSphereMachineTemplate (govmomi mode) at v1beta1 and v1beta2. */
export const govmomiKinds: readonly KindDefinition[] = (['v1beta1', 'v1beta2'] as const).flatMap((version) => {
  const rootSpec = version === 'v1beta2' ? ['spec'] : [];
  return [
    govmomiKind(version, 'VSphereCluster', vsphereClusterSpec(version), rootSpec),
    govmomiKind(version, 'VSphereClusterTemplate', template(version, vsphereClusterSpec(version), false), []),
    govmomiKind(version, 'VSphereMachine', vsphereMachineSpec(version), rootSpec),
    govmomiKind(version, 'VSphereMachineTemplate', template(version, vsphereMachineSpec(version), true), []),
  ];
});
