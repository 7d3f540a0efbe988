/**
 * ClusterClass `patches`: JSON patches applied to the templates a topology stamps out (inline or
 * computed by a runtime extension), and the `upgrade` extension hook.
 */
import { anyValue, bool, enumOf, mapOf, obj, str, type Schema } from '../dsl/builders.js';
import { filled, GROUP_VERSION, KIND_NAME, oneToMany, req, text, upTo } from './dsl-extra.js';

const classNames = obj({ names: upTo(100, text(256)) });

function definition(v1beta2: boolean): Schema {
  const jsonPatch = req(['op', 'path'], {
    op: enumOf('add', 'replace', 'remove'),
    path: text(512),
    value: anyValue(),
    valueFrom: obj({ template: text(10240), variable: text(256) }),
  });
  const matchResources = {
    controlPlane: bool(),
    infrastructureCluster: bool(),
    machineDeploymentClass: classNames,
    machinePoolClass: classNames,
  };
  return req(['jsonPatches', 'selector'], {
    jsonPatches: v1beta2 ? oneToMany(100, jsonPatch) : upTo(100, jsonPatch),
    selector: req(['apiVersion', 'kind', 'matchResources'], {
      apiVersion: v1beta2 ? text(317, { pattern: GROUP_VERSION }) : text(512),
      kind: v1beta2 ? text(63, { pattern: KIND_NAME }) : text(256),
      matchResources: v1beta2 ? filled(matchResources) : obj(matchResources),
    }),
  });
}

function patch(v1beta2: boolean): Schema {
  return req(['name'], {
    definitions: upTo(100, definition(v1beta2)),
    description: text(1024),
    enabledIf: text(256),
    external: obj({
      discoverVariablesExtension: text(512),
      [v1beta2 ? 'generatePatchesExtension' : 'generateExtension']: text(512),
      settings: mapOf(str()),
      [v1beta2 ? 'validateTopologyExtension' : 'validateExtension']: text(512),
    }),
    name: text(256),
  });
}

/** `spec.patches` at v1beta1. */
export const patchesV1beta1 = upTo(1000, patch(false));
/** `spec.patches` at v1beta2: extension hooks renamed, selectors validated, no empty lists. */
export const patchesV1beta2 = oneToMany(1000, patch(true));

/** `spec.upgrade` (v1beta1 and v1beta2): the runtime extension that plans upgrades. */
export const upgrade = filled({ external: filled({ generateUpgradePlanExtension: text(512) }) });
