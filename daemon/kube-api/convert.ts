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

function vmSpecAt(apiVersion: string, spec: Record<string, unknown>, target: number): Record<string, unknown> {
  const hub = { ...(vmSpec({ apiVersion, spec }) as Record<string, unknown>) };
  if (target === 1) {
    const image = (hub['image'] as { name?: string } | undefined)?.name;
    const interfaces = (hub['network'] as { interfaces?: { network?: { name?: string; kind?: string } }[] } | undefined)?.interfaces;
    return Object.fromEntries(
      Object.entries({
        className: hub['className'],
        imageName: hub['imageName'] ?? image,
        storageClass: hub['storageClass'],
        powerState: LOWER_POWER[String(hub['powerState'])],
        powerOffMode: LOWER_MODE[String(hub['powerOffMode'])],
        suspendMode: LOWER_MODE[String(hub['suspendMode'])],
        restartMode: LOWER_MODE[String(hub['restartMode'])],
        nextRestartTime: hub['nextRestartTime'],
        resourcePolicyName: hub['resourcePolicyName'],
        volumes: hub['volumes'],
        networkInterfaces: interfaces?.map((i) => ({ ...(i.network?.name ? { networkName: i.network.name } : {}), ...(i.network?.kind ? { networkType: i.network.kind } : {}) })),
      }).filter(([, v]) => v !== undefined),
    );
  }
  const { resourcePolicyName, cdrom, ...rest } = hub;
  const hardware = { ...((rest['hardware'] as Record<string, unknown> | undefined) ?? {}) };
  const cdroms = cdrom ?? hardware['cdrom'];
  delete hardware['cdrom'];
  if (target === 2) delete rest['image'];
  const out: Record<string, unknown> = { ...rest };
  if (resourcePolicyName) out['reserved'] = { ...((rest['reserved'] as object | undefined) ?? {}), resourcePolicyName };
  if (cdroms && target >= 5) hardware['cdrom'] = cdroms;
  else if (cdroms && target >= 3) out['cdrom'] = cdroms;
  if (Object.keys(hardware).length) out['hardware'] = hardware;
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
    spec: spec && typeof spec === 'object' ? vmSpecAt(fromApiVersion, spec as Record<string, unknown>, target) : spec,
    status: status && vmStatusAt(status, from, target),
  };
}
