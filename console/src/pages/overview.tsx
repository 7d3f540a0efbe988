/**
 * Overview: the source with its revisions and conditions, whether reconciling is suspended, a held
 * revision with its plan (and, for the VI admin, the confirm button), an invalid commit's
 * diagnostics, and the health roll-up per namespace, kept live. The VI admin reconciles now,
 * suspends and resumes from here.
 */
import { useEffect, useState } from 'preact/hooks';
import { request, type Who } from '../api';
import { Conditions, HealthBadge, HealthBar, HEALTHS, Loading, Page, shortRevision, Time, useView, VirtualList, type Condition, type Health } from '../components';
import { links } from '../router';

interface PruneHold {
  readonly revision: string;
  readonly deletes: number;
  readonly managed: number;
  readonly share: number;
  readonly limit: string;
  readonly examples: readonly string[];
}

interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path?: string;
  readonly object?: string;
  readonly message: string;
  readonly severity?: string;
  readonly text: string;
}

interface Suspension {
  readonly since: string;
  readonly by: string;
  readonly reason?: string;
}

export interface Overview {
  readonly resourceVersion: number;
  readonly statusVersion: string;
  readonly source: {
    readonly source: { readonly repo: string; readonly branch: string; readonly headRevision: string | null };
    readonly lastAppliedRevision: string | null;
    readonly lastAttemptedRevision: string | null;
    readonly conditions: readonly Condition[];
    readonly pruneHold?: PruneHold;
    readonly diagnostics: readonly Diagnostic[];
  };
  readonly suspended: Suspension | null;
  readonly namespaces: readonly { name: string; counts: Record<Health, number>; total: number }[];
  readonly totals: Record<Health, number>;
  /** Who reads it (the page shows who is signed in from here before the session's answer). */
  readonly user: { readonly name: string; readonly admin: boolean };
}

function HeldPrune(props: { hold: PruneHold; admin: boolean }) {
  const [state, setState] = useState<{ busy?: boolean; message?: string; error?: string }>({});
  const confirm = async () => {
    setState({ busy: true });
    try {
      const r = await request<{ confirmed: string }>('/console/api/prune/confirm', { method: 'POST', json: { revision: props.hold.revision } });
      setState({ message: `Confirmed ${shortRevision(r.confirmed)}: a pass applies it now.` });
    } catch (err) {
      setState({ error: (err as Error).message });
    }
  };
  const h = props.hold;
  return (
    <section class="card warn" aria-labelledby="held-title">
      <h2 id="held-title">Revision {shortRevision(h.revision)} is held by the prune bound</h2>
      <p>
        It would delete <strong>{h.deletes}</strong> of the {h.managed} objects pacific created ({Math.round(h.share * 100)}%, over the limit of {h.limit}). Nothing of it is applied until a VI admin confirms it.
      </p>
      {h.examples.length ? (
        <>
          <h3>Deletes include</h3>
          <ul class="examples">{h.examples.map((x) => <li key={x}><code>{x}</code></li>)}</ul>
        </>
      ) : null}
      {props.admin ? (
        <button type="button" class="danger" onClick={confirm} disabled={state.busy || !!state.message}>Confirm prune of {shortRevision(h.revision)}</button>
      ) : (
        <p class="muted">Only a VI admin may confirm it.</p>
      )}
      {state.message ? <p role="status">{state.message}</p> : null}
      {state.error ? <p class="error" role="alert">{state.error}</p> : null}
    </section>
  );
}

function Diagnostics(props: { diagnostics: readonly Diagnostic[]; revision: string | null }) {
  return (
    <section class="card bad" aria-labelledby="diag-title">
      <h2 id="diag-title">Revision {shortRevision(props.revision)} is invalid: nothing of it is applied</h2>
      <table class="grid">
        <caption class="visually-hidden">Diagnostics</caption>
        <thead><tr><th scope="col">Where</th><th scope="col">Object</th><th scope="col">Field</th><th scope="col">Message</th></tr></thead>
        <tbody>
          {props.diagnostics.map((d, i) => (
            <tr key={i}>
              <td><code>{d.file}:{d.line}:{d.column}</code></td>
              <td>{d.object}</td>
              <td><code>{d.path}</code></td>
              <td class="message">{d.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** One action of the VI admin: a button, then what came of it (the view itself follows through the live stream). */
function Action(props: { label: string; path: string; json?: unknown; done: string; class?: string; disabled?: boolean; title?: string }) {
  const [note, setNote] = useState<{ text: string; error?: boolean }>();
  const [busy, setBusy] = useState(false);
  const run = () => {
    setBusy(true);
    request(props.path, { method: 'POST', ...(props.json !== undefined ? { json: props.json } : {}) })
      .then(() => setNote({ text: props.done }), (err: Error) => setNote({ text: err.message, error: true }))
      .finally(() => setBusy(false));
  };
  return (
    <>
      <button type="button" class={props.class ?? 'secondary'} onClick={run} disabled={busy || props.disabled} title={props.title}>{props.label}</button>
      {note ? <span role={note.error ? 'alert' : 'status'} class={note.error ? 'note error' : 'note'}>{note.text}</span> : null}
    </>
  );
}

function SuspendForm() {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (!open) return <button type="button" class="secondary" onClick={() => setOpen(true)} aria-expanded="false">Suspend…</button>;
  return (
    <form class="inline-form" onSubmit={(e) => e.preventDefault()}>
      <label>Reason for suspending <input type="text" maxLength={1024} value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} /></label>
      <Action label="Suspend reconciling" class="danger" path="/console/api/suspend" json={reason.trim() ? { reason: reason.trim() } : {}} done="Suspended: no revision is applied until resumed." />
      <button type="button" class="secondary" onClick={() => setOpen(false)}>Cancel</button>
    </form>
  );
}

function AdminActions(props: { suspended: boolean }) {
  return (
    <>
      <Action label="Reconcile now" path="/console/api/reconcile" done="A pass is running." disabled={props.suspended} title={props.suspended ? 'Reconciling is suspended: resume first' : undefined} />
      {props.suspended ? <Action label="Resume reconciling" path="/console/api/resume" done="Resumed: a pass follows." /> : <SuspendForm />}
    </>
  );
}

function Suspended(props: { suspension: Suspension }) {
  const s = props.suspension;
  return (
    <section class="card warn" aria-labelledby="suspended-title" data-testid="suspended">
      <h2 id="suspended-title">Reconciling is suspended</h2>
      <p>
        Since <Time value={s.since} /> by <strong>{s.by}</strong>{s.reason ? <>: {s.reason}</> : null}. No revision is applied and no drift corrected until a VI admin resumes; reads and dry runs go on.
      </p>
    </section>
  );
}

/** A performance mark set once the overview's data is first painted (read by `npm run bench`). */
export const PAINTED = 'pacific:overview-painted';

export function OverviewPage(props: { who: Who }) {
  const view = useView<Overview>('/console/api/overview', () => true);
  const o = view.data;
  useEffect(() => {
    // The bench's "first paint" of the overview: the frame after its data is on screen.
    if (o && !performance.getEntriesByName(PAINTED).length) requestAnimationFrame(() => setTimeout(() => performance.mark(PAINTED)));
  }, [o]);
  return (
    <Page title="Overview" actions={props.who.admin && o ? <AdminActions suspended={!!o.suspended} /> : null}>
      {!o ? <Loading error={view.error} /> : (
        <>
          <section class="card" aria-labelledby="source-title">
            <h2 id="source-title">Source <code>{o.source.source.repo}</code> · {o.source.source.branch}</h2>
            <dl class="facts">
              <div><dt>Head</dt><dd><code data-testid="head-revision">{shortRevision(o.source.source.headRevision)}</code></dd></div>
              <div><dt>Last applied</dt><dd><code data-testid="applied-revision">{shortRevision(o.source.lastAppliedRevision)}</code></dd></div>
              <div><dt>Last attempted</dt><dd><code>{shortRevision(o.source.lastAttemptedRevision)}</code></dd></div>
            </dl>
            <Conditions conditions={o.source.conditions} label="Source conditions" />
          </section>
          {o.suspended ? <Suspended suspension={o.suspended} /> : null}
          {o.source.pruneHold ? <HeldPrune hold={o.source.pruneHold} admin={props.who.admin} /> : null}
          {o.source.diagnostics.length ? <Diagnostics diagnostics={o.source.diagnostics} revision={o.source.lastAttemptedRevision} /> : null}
          <section class="card" aria-labelledby="health-title">
            <h2 id="health-title">Health</h2>
            <ul class="tiles">
              {HEALTHS.map((h) => (
                <li key={h} class={`tile health-${h.toLowerCase()}`}><span class="tile-count" data-testid={`total-${h}`}>{o.totals[h]}</span> {h}</li>
              ))}
            </ul>
            <h3>Namespaces ({o.namespaces.length})</h3>
            <VirtualList
              items={o.namespaces}
              rowHeight={40}
              height={480}
              label="Namespaces by health"
              header={<><span role="columnheader" class="c-name">Namespace</span><span role="columnheader" class="c-bar">Health</span><span role="columnheader" class="c-counts">Ready / Progressing / Waiting / Degraded</span></>}
              row={(n) => (
                <>
                  <span role="cell" class="c-name"><a href={links.namespace(n.name)}>{n.name}</a></span>
                  <span role="cell" class="c-bar"><HealthBar counts={n.counts} label={n.name} /></span>
                  <span role="cell" class="c-counts" data-testid={`counts-${n.name}`}>
                    {HEALTHS.map((h) => <span key={h} class={`count health-text-${h.toLowerCase()}`}>{n.counts[h]}</span>)}
                    {HEALTHS.some((h) => h !== 'Ready' && n.counts[h]) ? <HealthBadge health={HEALTHS.slice(1).reverse().find((h) => n.counts[h]) ?? 'Ready'} /> : null}
                  </span>
                </>
              )}
            />
          </section>
        </>
      )}
    </Page>
  );
}
