/** vmoperator.vmware.com kinds pacific serves. */
import type { KindDefinition } from '../kind.js';

export const vmOperatorKinds: readonly KindDefinition[] = [];
