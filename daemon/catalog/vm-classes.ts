/**
 * The 16 VM classes a vSphere Supervisor creates by default. Sizes are vm-operator's
 * `config/virtualmachineclasses/v1alpha1_vmclass_*.yaml`; guaranteed-* classes request (reserve)
 * all their CPU and memory, best-effort-* reserve nothing (VMware docs, "Using VM Classes").
 */
import { GiB } from '../base/quantity.js';

export interface VmClassSize {
  readonly name: string;
  readonly cpus: number;
  readonly memoryBytes: number;
  readonly cpuReservationMillis: number;
  readonly memoryReservationBytes: number;
}

const SIZES: readonly [string, number, number][] = [
  ['xsmall', 2, 2],
  ['small', 2, 4],
  ['medium', 2, 8],
  ['large', 4, 16],
  ['xlarge', 4, 32],
  ['2xlarge', 8, 64],
  ['4xlarge', 16, 128],
  ['8xlarge', 32, 128],
];

/** best-effort-xsmall … guaranteed-8xlarge with their real sizes and reservations. */
export const DEFAULT_VM_CLASSES: readonly VmClassSize[] = (['best-effort', 'guaranteed'] as const).flatMap((policy) =>
  SIZES.map(([size, cpus, memGi]) => ({
    name: `${policy}-${size}`,
    cpus,
    memoryBytes: memGi * GiB,
    cpuReservationMillis: policy === 'guaranteed' ? cpus * 1000 : 0,
    memoryReservationBytes: policy === 'guaranteed' ? memGi * GiB : 0,
  })),
);
