/** Every kind pacific serves, from its own definitions; `generate.ts` writes them to `schemas/`. */
import { coreKinds } from './core.js';
import { vmOperatorKinds } from './vmoperator/index.js';
import type { KindDefinition } from './kind.js';

export const servedKindDefinitions: readonly KindDefinition[] = [...coreKinds, ...vmOperatorKinds];
