/**
 * Serving an object at the version a client asks for. A VirtualMachine goes through vm-operator's
 * internal shape (v1alpha1's lower-case power states, `vmMetadata` and `networkInterfaces`; the
 * CD-ROM under `hardware` from v1alpha5; `host` in status before v1alpha4, `nodeName` after). Every
 * other kind converts as a CRD with conversion strategy `None` does: only `apiVersion` changes.
 */
import { vmSpec } from '../reconcilers/vmoperator/virtual-machine-spec.js';

const versionOf = (apiVersion: string) => apiVersion.slice(apiVersion.indexOf('/') + 1);
const alpha = (version: string) => Number(/^v1alpha(\d+)$/.exec(version)?.[1] ?? 0);

const LOWER_POWER: Record<string, string> = { PoweredOn: 'poweredOn', PoweredOff: 'poweredOff', Suspended: 'suspended' };
const LOWER_MODE: Record<string, string> = { Hard: 'hard', Soft: 'soft', TrySoft: 'trySoft' };
const UPPER_POWER: Record<string, string> = { poweredOn: 'PoweredOn', poweredOff: 'PoweredOff', suspended: 'Suspended' };

/** A held VirtualMachine's spec (valid at `apiVersion`, as it was stored) written at v1alpha`target`. */
function vmSpecAt(apiVersion: string, spec: unknown, target: number): Record<string, unknown> {
  const hub = vmSpec({ kind: 'VirtualMachine', apiVersion, spec });
  if (target === 1) {
    const interfaces = hub.network?.interfaces;
    return Object.fromEntries(
      Object.entries({
        className: hub.className,
        imageName: hub.imageName ?? hub.image?.name,
        storageClass: hub.storageClass,
        powerState: LOWER_POWER[String(hub.powerState)],
        powerOffMode: LOWER_MODE[String(hub.powerOffMode)],
        suspendMode: LOWER_MODE[String(hub.suspendMode)],
        restartMode: LOWER_MODE[String(hub.restartMode)],
        nextRestartTime: hub.nextRestartTime,
        resourcePolicyName: hub.resourcePolicyName,
        volumes: hub.volumes,
        networkInterfaces: interfaces?.map((i) => ({ ...(i.network?.name ? { networkName: i.network.name } : {}), ...(i.network?.kind ? { networkType: i.network.kind } : {}) })),
      }).filter(([, v]) => v !== undefined),
    );
  }
  const { resourcePolicyName, cdrom, ...rest } = hub;
  const { cdrom: hardwareCdrom, ...hardware } = rest.hardware ?? {};
  const cdroms = cdrom ?? hardwareCdrom;
  const out: Record<string, unknown> = { ...rest };
  if (target === 2) delete out['image'];
  if (resourcePolicyName) out['reserved'] = { ...(rest.reserved ?? {}), resourcePolicyName };
  const hardwareOut: Record<string, unknown> = { ...hardware };
  if (cdroms && target >= 5) hardwareOut['cdrom'] = cdroms;
  else if (cdroms && target >= 3) out['cdrom'] = cdroms;
  if (Object.keys(hardwareOut).length) out['hardware'] = hardwareOut;
  else delete out['hardware'];
  return out;
}

function vmStatusAt(status: Record<string, unknown>, from: number, target: number): Record<string, unknown> {
  const out = { ...status };
  if (from === 1 && target > 1) {
    if (typeof out['powerState'] === 'string') out['powerState'] = UPPER_POWER[out['powerState']] ?? out['powerState'];
    if (out['vmIp']) out['network'] = { primaryIP4: out['vmIp'] };
    delete out['vmIp'];
    delete out['phase'];
  } else if (from > 1 && target === 1) {
    if (typeof out['powerState'] === 'string') out['powerState'] = LOWER_POWER[out['powerState']] ?? out['powerState'];
    const ip = (out['network'] as { primaryIP4?: string } | undefined)?.primaryIP4;
    out['vmIp'] = ip ?? '';
    out['phase'] = 'Created';
    for (const k of ['network', 'class', 'image', 'hardware', 'crypto', 'migration', 'currentSnapshot', 'rootSnapshots']) delete out[k];
  }
  const host = out['host'] ?? out['nodeName'];
  delete out['host'];
  delete out['nodeName'];
  if (host !== undefined) out[target >= 4 ? 'nodeName' : 'host'] = host;
  return out;
}

/** The held object's spec and status at `apiVersion` (same group). */
export function convert(kind: string, fromApiVersion: string, toApiVersion: string, spec: unknown, status: Record<string, unknown> | undefined): { spec: unknown; status: Record<string, unknown> | undefined } {
  if (fromApiVersion === toApiVersion || kind !== 'VirtualMachine') return { spec, status };
  const [from, target] = [alpha(versionOf(fromApiVersion)), alpha(versionOf(toApiVersion))];
  return {
    spec: spec && typeof spec === 'object' ? vmSpecAt(fromApiVersion, spec, target) : spec,
    status: status && vmStatusAt(status, from, target),
  };
}
