/** The reconcilers a plan consults, by kind, each with its wave from the kind-order table. */
import type { KindReconciler } from './contract.js';

const kindKey = (group: string, kind: string): string => `${group}/${kind}`;

export class ReconcilerSet {
  readonly #byKind = new Map<string, { readonly reconciler: KindReconciler; readonly wave: number }>();
  readonly #waves: number;

  /**
   * `order` lists the kinds of each wave, lowest first; every reconciler's kind must be in exactly
   * one wave and every listed kind must have a reconciler, or this throws.
   */
  constructor(
    readonly all: readonly KindReconciler[],
    order: readonly (readonly string[])[],
  ) {
    const waves = new Map<string, number>();
    order.forEach((kinds, wave) => {
      for (const key of kinds) {
        if (waves.has(key)) throw new Error(`kind order: ${key} is in two waves`);
        waves.set(key, wave);
      }
    });
    for (const reconciler of all) {
      const key = kindKey(reconciler.group, reconciler.kind);
      const wave = waves.get(key);
      if (wave === undefined) throw new Error(`kind order: ${key} has a reconciler but no wave`);
      if (this.#byKind.has(key)) throw new Error(`kind order: ${key} has two reconcilers`);
      this.#byKind.set(key, { reconciler, wave });
    }
    const unserved = [...waves.keys()].filter((key) => !this.#byKind.has(key));
    if (unserved.length) throw new Error(`kind order: ${unserved.join(', ')} listed without a reconciler`);
    this.#waves = order.length;
  }

  /** The reconciler of a group+kind, or undefined when pacific has none (validation refuses such kinds). */
  of(group: string, kind: string): KindReconciler | undefined {
    return this.#byKind.get(kindKey(group, kind))?.reconciler;
  }

  /** The apply wave of a kind; a kind without a reconciler is never planned and sorts after every wave. */
  waveOf(group: string, kind: string): number {
    return this.#byKind.get(kindKey(group, kind))?.wave ?? this.#waves;
  }
}
