/**
 * Cooperative time slicing for the long synchronous stretches of a pass (blobs read from a cached
 * pack, parsing, applying steps): between slices the event loop runs, so `/status`, `/healthz` and
 * `/metrics` are answered during a 10,000-object pass instead of after it.
 */
import { setImmediate as nextMacrotask } from 'node:timers/promises';

/** How long a pass holds the event loop before it lets waiting requests in. */
export const SLICE_MS = 10;

/**
 * Returns `pause()`: it yields to the event loop (one `setImmediate`) when `sliceMs` have passed
 * since its last yield, and otherwise resolves at once. Only scheduling depends on the clock.
 */
export function timeSlices(sliceMs = SLICE_MS, now: () => number = () => performance.now()): () => Promise<void> {
  let sliceStart = now();
  return async () => {
    if (now() - sliceStart < sliceMs) return;
    await nextMacrotask();
    sliceStart = now();
  };
}
