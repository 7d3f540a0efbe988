/**
 * Kubernetes core types that Cluster API, CAPV and Tanzu embed in their specs: object references,
 * label selectors, taints, environment variables. Written once here, as the API server defines them.
 */
import { bool, list, mapOf, obj, quantity, str, time, type Schema } from '../dsl/builders.js';
import { defaulted, req } from './dsl-extra.js';

/** core/v1 ObjectReference: every field optional (the owner of the reference decides what it needs). */
export const objectReference = obj({
  apiVersion: str(),
  fieldPath: str(),
  kind: str(),
  name: str(),
  namespace: str(),
  resourceVersion: str(),
  uid: str(),
});

/** meta/v1 LabelSelector. */
export const labelSelector = obj({
  matchExpressions: list(req(['key', 'operator'], { key: str(), operator: str(), values: list(str()) })),
  matchLabels: mapOf(str()),
});

/** The fields of the labels-and-annotations metadata a template stamps on what it creates. */
export const labelsAndAnnotations: Record<string, Schema> = { annotations: mapOf(str()), labels: mapOf(str()) };

/** core/v1 Taint (free-form effect, optional timeAdded). */
export const coreTaint = req(['effect', 'key'], { effect: str(), key: str(), timeAdded: time(), value: str() });

/** core/v1 EnvVarSource: a value read from a ConfigMap, Secret, field, resource or file. */
const envVarSource = obj({
  configMapKeyRef: req(['key'], { key: str(), name: defaulted(str(), ''), optional: bool() }),
  fieldRef: req(['fieldPath'], { apiVersion: str(), fieldPath: str() }),
  fileKeyRef: req(['key', 'path', 'volumeName'], { key: str(), optional: defaulted(bool(), false), path: str(), volumeName: str() }),
  resourceFieldRef: req(['resource'], { containerName: str(), divisor: quantity(), resource: str() }),
  secretKeyRef: req(['key'], { key: str(), name: defaulted(str(), ''), optional: bool() }),
});

/** core/v1 EnvVar. */
export const envVar: Schema = req(['name'], { name: str(), value: str(), valueFrom: envVarSource });
