/**
 * CAPV Supervisor VSphereMachine and VSphereMachineTemplate (v1beta1, v1beta2): the machine side of
 * a guest cluster, which CAPV turns into a VM Operator VirtualMachine (class, image, storage class,
 * network interfaces, volumes, power-off mode).
 */
import { enumOf, int, list, mapOf, obj, quantity, str, type CelRule, type Schema } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import { templateRef, type CapiVersion } from './capi-common.js';
import { supervisorKind } from './capv-supervisor.js';
import { defaulted, DNS_SUBDOMAIN, filled, KIND_NAME, oneToMany, req, text } from './dsl-extra.js';
import { labelsAndAnnotations } from './kubernetes-core.js';

/**
 * The VSphereMachine CRD states this rule at its root (`self.spec.policies`); a KindDefinition has
 * no root-level rules, so it sits on `spec` with `self` meaning the spec. Both forms only compare
 * an update with the old object, and both skip a create.
 */
export const POLICIES_IMMUTABLE: { readonly root: CelRule; readonly spec: CelRule } = {
  root: {
    rule: 'has(self.spec.policies) == has(oldSelf.spec.policies) && (!has(self.spec.policies) || self.spec.policies == oldSelf.spec.policies)',
    message: 'policies are immutable after creation',
  },
  spec: {
    rule: 'has(self.policies) == has(oldSelf.policies) && (!has(self.policies) || self.policies == oldSelf.policies)',
    message: 'policies are immutable after creation',
  },
};

const route = req(['to', 'via'], {
  to: str({ minLength: 9, maxLength: 18, pattern: '^([0-9]{1,3}\\.){3}[0-9]{1,3}\\/[0-9]{1,2}$' }),
  via: str({ minLength: 7, maxLength: 15, pattern: '^([0-9]{1,3}\\.){3}[0-9]{1,3}$' }),
});
const mtu = () => int({ minimum: 576, maximum: 9000 });
const deviceName = () => str({ minLength: 2, maxLength: 15, pattern: '^[a-z0-9]{2,}$' });

/** Network interfaces and VLANs; v1beta2 renames each interface's `network` to `networkRef`. */
function network(networkField: 'network' | 'networkRef'): Schema {
  return filled({
    interfaces: filled({
      primary: req([networkField], { mtu: mtu(), [networkField]: templateRef, routes: oneToMany(100, route) }),
      secondary: oneToMany(9, req(['name', networkField], { mtu: mtu(), name: deviceName(), [networkField]: templateRef, routes: oneToMany(100, route) })),
    }),
    vlans: oneToMany(
      100,
      req(['id', 'link', 'name'], {
        id: int({ minimum: 0, maximum: 4094 }),
        link: deviceName(),
        name: text(15, { pattern: '^[a-zA-Z0-9][a-zA-Z0-9._-]*$' }),
      }),
    ),
  });
}

const policies = oneToMany(64, req(['kind', 'name'], { kind: text(63, { pattern: KIND_NAME }), name: text(253, { pattern: DNS_SUBDOMAIN }) }));
const POWER_OFF_MODE = enumOf('hard', 'soft', 'trySoft');

const specV1beta1 = req(
  ['className', 'imageName'],
  {
    className: str(),
    failureDomain: str(),
    imageName: str(),
    minHardwareVersion: str(),
    namingStrategy: obj({ template: str() }),
    network: network('network'),
    policies,
    powerOffMode: defaulted(POWER_OFF_MODE, 'hard'),
    providerID: str(),
    storageClass: str(),
    volumes: list(req(['capacity', 'name'], { capacity: mapOf(quantity()), name: str(), storageClass: str() })),
  },
  { cel: [POLICIES_IMMUTABLE.spec] },
);

const specV1beta2 = req(
  ['className', 'imageName'],
  {
    className: text(253),
    imageName: text(2048),
    minHardwareVersion: text(32),
    naming: filled({ template: text(1024) }),
    network: network('networkRef'),
    policies,
    powerOffMode: POWER_OFF_MODE,
    providerID: text(512),
    storageClass: text(253),
    volumes: list(req(['capacity', 'name'], { capacity: mapOf(quantity()), name: text(253), storageClass: text(253) }), { maxItems: 1024 }),
  },
  { cel: [POLICIES_IMMUTABLE.spec] },
);

/** The machine spec of a version without the root rule (templates have no such rule). */
function templateSpec(version: CapiVersion): Schema {
  const { ['x-kubernetes-validations']: _rules, ...spec } = version === 'v1beta2' ? specV1beta2 : specV1beta1;
  return version === 'v1beta2'
    ? req(['template'], { template: filled({ metadata: filled(labelsAndAnnotations), spec }) })
    : req(['template'], { template: req(['spec'], { spec }) });
}

/** VSphereMachine and VSphereMachineTemplate at v1beta1 and v1beta2. */
export const supervisorMachineKinds: readonly KindDefinition[] = [
  supervisorKind('v1beta1', 'VSphereMachine', specV1beta1),
  supervisorKind('v1beta2', 'VSphereMachine', specV1beta2, ['spec']),
  supervisorKind('v1beta1', 'VSphereMachineTemplate', templateSpec('v1beta1')),
  supervisorKind('v1beta2', 'VSphereMachineTemplate', templateSpec('v1beta2')),
];
