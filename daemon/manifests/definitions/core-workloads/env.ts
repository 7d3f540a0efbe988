/** Container environment: variables given inline or read from ConfigMaps, Secrets, pod fields and env files. */
import { bool, obj, quantity, str } from '../dsl/builders.js';

/** `ObjectFieldSelector`: a field of the pod (`metadata.name`, `status.podIP`…), for env and downward API. */
export const objectFieldSelector = obj({ apiVersion: str(), fieldPath: str() }, { required: ['fieldPath'] });

/** `ResourceFieldSelector`: a container's request or limit (`limits.memory`…) in units of `divisor`. */
export const resourceFieldSelector = obj({ containerName: str(), divisor: quantity(), resource: str() }, { required: ['resource'] });

const keySelector = obj({ key: str(), name: str(), optional: bool() }, { required: ['key'] });

const fileKeySelector = obj(
  { key: str(), optional: bool(), path: str(), volumeName: str() },
  { required: ['volumeName', 'path', 'key'] },
);

const envVarSource = obj({
  configMapKeyRef: keySelector,
  fieldRef: objectFieldSelector,
  fileKeyRef: fileKeySelector,
  resourceFieldRef: resourceFieldSelector,
  secretKeyRef: keySelector,
});

/** `EnvVar`: a variable by name, with a literal value or a source. */
export const envVar = obj({ name: str({ minLength: 1 }), value: str(), valueFrom: envVarSource }, { required: ['name'] });

/** `EnvFromSource`: every key of a ConfigMap or Secret as variables, optionally prefixed. */
export const envFromSource = obj({
  configMapRef: obj({ name: str(), optional: bool() }),
  prefix: str(),
  secretRef: obj({ name: str(), optional: bool() }),
});
