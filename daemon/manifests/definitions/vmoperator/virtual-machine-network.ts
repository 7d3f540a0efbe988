/** `spec.network` of a VirtualMachine: host identity, DNS, and up to ten keyed network interfaces. */
import { bool, enumOf, extend, int, list, obj, str, type Schema } from '../dsl/builders.js';
import { keyValue } from './common.js';

const route = obj({ metric: int({ minimum: 1 }), to: str(), via: str() }, { required: ['to', 'via'] });

const interfaceV1alpha2 = obj(
  {
    addresses: list(str()),
    dhcp4: bool(),
    dhcp6: bool(),
    gateway4: str(),
    gateway6: str(),
    guestDeviceName: str({ pattern: '^\\w\\w+$' }),
    macAddr: str({ pattern: '^([0-9A-Fa-f]{2}:){5}([0-9A-Fa-f]{2})$' }),
    mtu: int(),
    name: str({ pattern: '^[a-z0-9]{2,}$' }),
    nameservers: list(str()),
    network: obj({ apiVersion: str(), kind: str(), name: str() }, { required: ['name'] }),
    routes: list(route),
    searchDomains: list(str()),
  },
  { required: ['name'] },
);

/** VMXNET3 adapter tuning (v1alpha6); the free-form values are bounded by CEL, not by enums. */
const vmxnet3 = obj(
  {
    coalescingParams: str(),
    coalescingScheme: str({
      cel: [
        {
          rule: "self == 'Disabled' || self == 'Adapt' || self == 'Static' || self == 'RateBasedCoalescing' || size(self) < 128",
          message: 'must be Disabled, Adapt, Static, RateBasedCoalescing, or any other string shorter than 128 characters',
        },
      ],
    }),
    ctxPerDev: str({
      maxLength: 50,
      cel: [{ rule: 'self.matches("^(PerDevice|PerVM|PerQueue|[1-9])$")', message: 'must be PerDevice, PerVM, PerQueue, or a number (1-9)' }],
    }),
    pnicFeatures: list(
      str({
        maxLength: 50,
        cel: [
          {
            rule: 'self.matches("^(LargeReceiveOffload|ReceiveSideScaling|[1-9][0-9]*)$")',
            message:
              'must be LargeReceiveOffload, ReceiveSideScaling, or a non-empty decimal digits string for VMX pNICFeatures bitmask values (powers of two such as 1, 2, 4, 8)',
          },
        ],
      }),
      { set: true, maxItems: 16 },
    ),
    rssOffloadEnabled: bool(),
    udpRssEnabled: bool(),
    uptv2Enabled: bool(),
  },
  { cel: [{ rule: '!has(self.coalescingParams) || size(self.coalescingParams) < 128', message: 'coalescingParams must have length < 128' }] },
);

const interfaceV1alpha6 = extend(
  interfaceV1alpha2,
  {
    advancedProperties: list(keyValue, { mapKeys: ['key'] }),
    ipamModes: list(str(), { set: true, maxItems: 2 }),
    type: enumOf('VMXNet3', 'SRIOV', 'E1000', 'E1000e', 'VMXNet2', 'PCNet32'),
    vmxnet3,
    vnumaNodeID: int({ minimum: 0 }),
  },
  {
    cel: [
      { rule: "!has(self.vmxnet3) || self.type == 'VMXNet3'", message: 'vmxnet3 tuning fields require interface type VMXNet3' },
      { rule: "!has(self.ipamModes) || self.ipamModes.all(m, m == 'IPv4' || m == 'IPv6')", message: 'each ipamModes entry must be IPv4 or IPv6' },
    ],
  },
);

const vlan = obj(
  {
    id: int({ minimum: 0, maximum: 4094 }),
    link: str(),
    name: str({ minLength: 1, maxLength: 15, pattern: '^[a-zA-Z0-9][a-zA-Z0-9._-]*$' }),
  },
  { required: ['id', 'link', 'name'] },
);

function interfaces(item: Schema): Schema {
  return list(item, { mapKeys: ['name'], maxItems: 10 });
}

/** `spec.network` at v1alpha2. */
export const networkV1alpha2 = obj({
  disabled: bool(),
  hostName: str(),
  interfaces: interfaces(interfaceV1alpha2),
  nameservers: list(str()),
  searchDomains: list(str()),
});
/** v1alpha3 (through v1alpha5) = v1alpha2 + `domainName`. */
export const networkV1alpha3 = extend(networkV1alpha2, { domainName: str() });
/** v1alpha6 = v1alpha3 + interface type/tuning/IPAM modes/advanced properties, and VLANs. */
export const networkV1alpha6 = extend(networkV1alpha3, { interfaces: interfaces(interfaceV1alpha6), vlans: list(vlan, { mapKeys: ['name'] }) });
