/**
 * The time from a revision's push to every object of it Ready, for `pacific_commit_to_ready_seconds`:
 * started by the pass that first applies the revision (at the ref's write when a push triggered it,
 * else at that pass), ended by the first pass of the same revision that leaves nothing not Ready —
 * usually a later one, once the simulator's tasks have powered VMs on and started pods. A newer
 * revision applied first replaces the one waiting: only the branch head's time is measured.
 */
export class CommitToReady {
  private waiting: { readonly revision: string; readonly sinceMs: number } | undefined;

  /** A pass applied `revision`; the seconds to Ready when this pass completes it, once per revision. */
  applied(revision: string, pass: { readonly first: boolean; readonly pushedAtMs: number | undefined; readonly allReady: boolean; readonly nowMs: number }): number | undefined {
    if (pass.first) this.waiting = { revision, sinceMs: pass.pushedAtMs ?? pass.nowMs };
    if (this.waiting?.revision !== revision || !pass.allReady) return undefined;
    const seconds = Math.max(0, pass.nowMs - this.waiting.sinceMs) / 1000;
    this.waiting = undefined;
    return seconds;
  }
}
