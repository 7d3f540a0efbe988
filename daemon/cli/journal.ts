/** `pacific journal verify --state <dir>`: checks the pass journal's hash chain in a state dir, the daemon running or not. */
import { PASS_RETENTION, type StateReader } from '../store/ports.js';
import { verifyChain } from '../store/pass-chain.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { UsageError } from './preamble.js';

export function journalVerifyCommand(stateDir: string, out: (t: string) => void = (t) => process.stdout.write(t)): number {
  let store: StateReader;
  try {
    store = SqliteStore.openReadOnly(stateDir);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  try {
    const passes = store.passes(PASS_RETENTION).reverse();
    const verdict = verifyChain(passes);
    if (!verdict.ok) {
      process.stderr.write(`journal broken at pass #${verdict.seq ?? '?'}: ${verdict.problem}; the ${verdict.checked} pass(es) before it are chained\n`);
      return 1;
    }
    if (!verdict.checked) out('journal: no passes recorded yet\n');
    // The oldest kept record links to one the history no longer keeps: the chain is proved from it on.
    else out(`journal: ${verdict.checked} passes chained, #${verdict.first} to #${verdict.last}; head ${verdict.head}\n`);
    return 0;
  } finally {
    store.close();
  }
}
