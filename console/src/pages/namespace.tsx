/** Namespace: quota usage bars, the policy, objects grouped by kind with health, recent events. */
import type { Who } from '../api';
import { Bar, Events, HealthBadge, Loading, Page, useView, VirtualList } from '../components';
import { links } from '../router';

interface Row {
  readonly key: string;
  readonly kind: string;
  readonly name: string;
  readonly health: string;
  readonly reason?: string;
  readonly message?: string;
}

interface NamespaceView {
  readonly name: string;
  readonly role?: string;
  readonly quota: readonly { resource: string; used: number; hard: number; usedText: string; hardText: string }[];
  readonly policy: Record<string, unknown> | null;
  readonly kinds: readonly { kind: string; rows: readonly Row[] }[];
  readonly events: readonly Record<string, string>[];
}

const list = (v: unknown) => (Array.isArray(v) ? (v.length ? v.join(', ') : 'none') : 'any');

function Policy(props: { policy: Record<string, unknown> | null }) {
  const p = props.policy;
  if (!p) return <p class="muted">No NamespacePolicy: no restrictions, and no developer roles.</p>;
  const enc = p['encryption'] as { required: boolean; keyProvider: string } | undefined;
  const placement = p['placement'] as { hostGroup?: string; hosts?: string[] } | undefined;
  const permissions = (p['permissions'] ?? []) as { subject: { kind: string; name: string }; role: string }[];
  return (
    <>
      <dl class="facts">
        <div><dt>VM classes</dt><dd>{list(p['vmClasses'])}</dd></div>
        <div><dt>Images (content libraries)</dt><dd>{list(p['contentLibraries'])}</dd></div>
        <div><dt>Storage classes</dt><dd>{list(p['storagePolicies'])}</dd></div>
        <div><dt>Encryption</dt><dd>{enc?.required ? `required (${enc.keyProvider})` : 'not required'}</dd></div>
        <div><dt>Placement</dt><dd>{placement ? (placement.hostGroup ? `host group ${placement.hostGroup}` : `hosts ${list(placement.hosts)}`) : 'any host'}</dd></div>
        <div><dt>HA restart priority</dt><dd>{String(p['restartPriority'] ?? '')}</dd></div>
      </dl>
      <table class="grid">
        <caption>Permissions</caption>
        <thead><tr><th scope="col">Subject</th><th scope="col">Role</th></tr></thead>
        <tbody>{permissions.map((x, i) => <tr key={i}><td>{x.subject.kind} {x.subject.name}</td><td>{x.role}</td></tr>)}</tbody>
      </table>
    </>
  );
}

export function NamespacePage(props: { who: Who; namespace: string }) {
  const ns = props.namespace;
  const view = useView<NamespaceView>(`/console/api/namespaces/${encodeURIComponent(ns)}`, (c) => c.namespace === ns || (c.kind === 'Namespace' && c.name === ns));
  const v = view.data;
  return (
    <Page title={`Namespace ${ns}`} actions={v?.role ? <span class="badge">{v.role}</span> : null}>
      {!v ? <Loading error={view.error} /> : (
        <>
          <section class="card" aria-labelledby="quota-title">
            <h2 id="quota-title">Quota</h2>
            {v.quota.length ? v.quota.map((q) => <Bar key={q.resource} label={q.resource} used={q.used} max={q.hard} text={`${q.usedText} of ${q.hardText}`} />) : <p class="muted">No ResourceQuota limits this namespace.</p>}
          </section>
          <section class="card" aria-labelledby="policy-title">
            <h2 id="policy-title">Policy</h2>
            <Policy policy={v.policy} />
          </section>
          <section class="card" aria-labelledby="objects-title">
            <h2 id="objects-title">Objects</h2>
            {v.kinds.map((k) => (
              <div key={k.kind} class="kind-group">
                <h3>{k.kind} ({k.rows.length})</h3>
                <VirtualList
                  items={k.rows}
                  rowHeight={36}
                  height={360}
                  label={`${k.kind} objects`}
                  header={<><span role="columnheader" class="c-name">Name</span><span role="columnheader" class="c-health">Health</span><span role="columnheader" class="c-msg">Reason</span></>}
                  row={(r) => (
                    <>
                      <span role="cell" class="c-name"><a href={links.object(r.key)}>{r.name}</a></span>
                      <span role="cell" class="c-health"><HealthBadge health={r.health} /></span>
                      <span role="cell" class="c-msg" title={r.message}>{r.reason ? `${r.reason}${r.message ? `: ${r.message}` : ''}` : ''}</span>
                    </>
                  )}
                />
              </div>
            ))}
          </section>
          <section class="card" aria-labelledby="events-title">
            <h2 id="events-title">Recent events</h2>
            <Events events={v.events} />
          </section>
        </>
      )}
    </Page>
  );
}
