/** Typed faults, returned as values by inventory tasks as vSphere tasks return MethodFaults. */

export type FaultCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'InvalidPowerState'
  | 'InsufficientResources'
  | 'NoAvailableHosts'
  | 'QuotaExceeded'
  | 'InvalidArgument'
  | 'ResourceInUse';

export interface Fault {
  readonly fault: FaultCode;
  readonly message: string;
}

export type TaskResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Fault };

export function ok<T>(value: T): TaskResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(fault: FaultCode, message: string): TaskResult<T> {
  return { ok: false, error: { fault, message } };
}

/** Thrown only for programming errors inside a task (a fault the caller should have returned). */
export class FaultError extends Error {
  constructor(readonly fault: Fault) {
    super(`${fault.fault}: ${fault.message}`);
  }
}
