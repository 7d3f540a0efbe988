/** The plan: what a revision changes in the inventory, in apply order, with admission verdicts. */
import type { ManifestObject } from '../manifests/types.js';
import type { Change } from './contract.js';

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  unchanged: number;
}

export interface Plan {
  readonly revision: string;
  /** Every desired object: the declared ones and those derived from them. */
  readonly objects: readonly ManifestObject[];
  readonly changes: readonly Change[];
  readonly unchanged: readonly string[];
  readonly summary: PlanSummary;
}
