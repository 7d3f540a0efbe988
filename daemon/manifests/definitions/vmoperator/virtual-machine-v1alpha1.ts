/**
 * VirtualMachine v1alpha1: the original shape, before `network`, `bootstrap` and capitalized power
 * states. Interfaces are `networkInterfaces` (a network name plus a provider reference), guest
 * customization is `vmMetadata` (a ConfigMap or Secret handed over a transport), power states and
 * modes are lower-case (`poweredOn`, `trySoft`), and volumes may still be raw vSphere disks.
 */
import { bool, enumOf, int, intOrString, list, mapOf, obj, quantity, str, withDefault } from '../dsl/builders.js';
import type { KindDefinition } from '../dsl/kind.js';
import { vmOperatorKind } from './common.js';

// v1alpha1 defaults every power-operation mode to a hard operation (v1alpha2 moved to TrySoft).
const POWER_OP_MODE = withDefault(enumOf('hard', 'soft', 'trySoft'), 'hard');

const networkInterface = obj({
  ethernetCardType: str(),
  networkName: str(),
  networkType: str(),
  providerRef: obj({ apiGroup: str(), apiVersion: str(), kind: str(), name: str() }, { required: ['apiGroup', 'kind', 'name'] }),
});

const port = obj({ ip: str(), name: str(), port: int(), protocol: str() }, { required: ['ip', 'name', 'port', 'protocol'] });

const readinessProbe = obj({
  guestHeartbeat: obj({ thresholdStatus: withDefault(enumOf('yellow', 'green'), 'green') }),
  periodSeconds: int({ minimum: 1 }),
  tcpSocket: obj({ host: str(), port: intOrString() }, { required: ['port'] }),
  timeoutSeconds: int({ minimum: 1, maximum: 60 }),
});

const persistentVolumeClaim = obj(
  {
    claimName: str(),
    instanceVolumeClaim: obj({ size: quantity(), storageClass: str() }, { required: ['size', 'storageClass'] }),
    readOnly: bool(),
  },
  { required: ['claimName'] },
);

const volume = obj(
  {
    name: str(),
    persistentVolumeClaim,
    vSphereVolume: obj({ capacity: mapOf(quantity()), deviceKey: int() }),
  },
  { required: ['name'] },
);

/** `spec` of a v1alpha1 VirtualMachine: class and image by name are required. */
const specV1alpha1 = obj(
  {
    advancedOptions: obj({
      changeBlockTracking: bool(),
      defaultVolumeProvisioningOptions: obj({ eagerZeroed: bool(), thinProvisioned: bool() }),
    }),
    className: str(),
    imageName: str(),
    minHardwareVersion: int({ minimum: 13 }),
    networkInterfaces: list(networkInterface, { maxItems: 10 }),
    nextRestartTime: str(),
    ports: list(port),
    powerOffMode: POWER_OP_MODE,
    powerState: enumOf('poweredOn', 'poweredOff', 'suspended'),
    readinessProbe,
    resourcePolicyName: str(),
    restartMode: POWER_OP_MODE,
    storageClass: str(),
    suspendMode: POWER_OP_MODE,
    vmMetadata: obj({ configMapName: str(), secretName: str(), transport: enumOf('ExtraConfig', 'OvfEnv', 'vAppConfig', 'CloudInit', 'Sysprep') }),
    volumes: list(volume),
  },
  { required: ['className', 'imageName'] },
);

/** VirtualMachine at v1alpha1. */
export const virtualMachineV1alpha1: KindDefinition = vmOperatorKind('VirtualMachine', 'v1alpha1', specV1alpha1);
