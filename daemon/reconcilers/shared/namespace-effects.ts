/**
 * What a namespace's policy asks of every member, compared like any other field: encryption with
 * the policy's key provider (existing VMs, pod VMs and disks are re-keyed when it changes) and
 * placement on the policy's hosts (members elsewhere are moved by vMotion).
 */
import type { Crypto, Migration } from '../../inventory/model/workloads.js';
import type { FieldChange, PlanContext } from '../../plan/contract.js';
import { allowedHosts } from '../../inventory/namespace-policy.js';
import { hostsOf } from './namespace-rules.js';

/** The encryption a member of the namespace must have, or undefined when the policy does not require it. */
export function requiredCrypto(namespace: string, ctx: Pick<PlanContext, 'ledger'>): Crypto | undefined {
  const e = ctx.ledger.policy(namespace)?.encryption;
  return e?.required ? { encrypted: true, keyProvider: e.keyProvider } : undefined;
}

/** The dry run's note for a member created in a namespace that requires encryption. */
export function encryptionNote(namespace: string, ctx: Pick<PlanContext, 'ledger'>): string[] {
  const want = requiredCrypto(namespace, ctx);
  return want ? [`encrypted with key provider ${want.keyProvider} (namespace policy)`] : [];
}

/** Field changes that encrypt or re-key a member (never decrypts: lifting the rule keeps data encrypted). */
export function encryptionFields(current: Crypto | undefined, namespace: string, ctx: Pick<PlanContext, 'ledger'>): FieldChange[] {
  const want = requiredCrypto(namespace, ctx);
  if (!want) return [];
  const fields: FieldChange[] = [];
  if (!current?.encrypted) fields.push({ path: 'status.crypto.encrypted', from: false, to: true });
  if (current?.keyProvider !== want.keyProvider) fields.push({ path: 'status.crypto.keyProvider', ...(current?.keyProvider ? { from: current.keyProvider } : {}), to: want.keyProvider });
  return fields;
}

/** A field change when a member runs on a host its namespace's placement no longer allows. */
export function placementFields(hostName: string, migration: Migration | undefined, namespace: string, ctx: PlanContext): FieldChange[] {
  const allowed = allowedHosts(ctx.inventory, ctx.ledger.policy(namespace));
  if (!allowed || allowed.has(hostName) || migration) return [];
  const p = ctx.ledger.policy(namespace)?.placement;
  return [{ path: 'status.host', from: hostName, to: p?.hostGroup ? `a host of group ${p.hostGroup}` : `one of ${[...allowed].join(', ')}` }];
}

export { hostsOf };
