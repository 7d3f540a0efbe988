/**
 * VirtualMachineService: a Service over VirtualMachines selected by label. The spec is unchanged from
 * v1alpha1 to v1alpha5; v1alpha6 adds IP families, bounded by CEL rules (one of them a transition
 * rule on the primary family, which the validator lists as skipped).
 */
import { enumOf, extend, int, list, mapOf, obj, str } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import { versionsFrom, vmOperatorKind } from './common.js';

const port = obj({ name: str(), port: int(), protocol: str(), targetPort: int() }, { required: ['name', 'port', 'protocol', 'targetPort'] });

/** `spec` at v1alpha1..v1alpha5: the service type is required, and every port is named. */
const specV1alpha1 = obj(
  {
    clusterIp: str(),
    externalName: str(),
    loadBalancerIP: str(),
    loadBalancerSourceRanges: list(str()),
    ports: list(port),
    selector: mapOf(str()),
    type: str(),
  },
  { required: ['type'] },
);

/** v1alpha6 = v1alpha5 + IP families (at most two, distinct, IPv4/IPv6, none for ExternalName). */
const specV1alpha6 = extend(
  specV1alpha1,
  {
    ipFamilies: list(str(), { maxItems: 2 }),
    ipFamilyPolicy: enumOf('SingleStack', 'PreferDualStack', 'RequireDualStack'),
  },
  {
    cel: [
      {
        rule: "self.type != 'ExternalName' || ((!has(self.ipFamilies) || size(self.ipFamilies) == 0) && !has(self.ipFamilyPolicy))",
        message: 'ipFamilies and ipFamilyPolicy may not be set when type is ExternalName',
      },
      {
        rule: '!has(self.ipFamilies) || size(self.ipFamilies) < 2 || self.ipFamilies[0] != self.ipFamilies[1]',
        message: 'ipFamilies must not contain duplicate entries',
      },
      { rule: "!has(self.ipFamilies) || self.ipFamilies.all(f, f == 'IPv4' || f == 'IPv6')", message: 'each ipFamilies entry must be IPv4 or IPv6' },
      {
        rule: "self.type == 'ExternalName' || !has(oldSelf.ipFamilies) || size(oldSelf.ipFamilies) == 0 || (has(self.ipFamilies) && size(self.ipFamilies) > 0 && self.ipFamilies[0] == oldSelf.ipFamilies[0])",
        message: 'the primary IP family may not be changed or removed once set',
      },
    ],
  },
);

/** VirtualMachineService at v1alpha1..v1alpha6. */
export const virtualMachineServiceKinds: readonly KindDefinition[] = versionsFrom('v1alpha1').map((version) =>
  vmOperatorKind('VirtualMachineService', version, version === 'v1alpha6' ? specV1alpha6 : specV1alpha1),
);
