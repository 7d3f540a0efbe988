/**
 * Object: the spec as declared (file and line, a link to the Git host when the source is a web
 * URL), status and conditions as the Kubernetes API serves them, events, and the owner chain as a
 * tree with each node's health.
 */
import { useEffect, useState } from 'preact/hooks';
import { request, type Who } from '../api';
import { Conditions, Events, HealthBadge, Loading, Page, useView, type Condition } from '../components';
import { links } from '../router';

interface Node {
  readonly key: string;
  readonly kind: string;
  readonly name: string;
  readonly health: string;
  readonly reason?: string;
  readonly children: readonly Node[];
}

interface ObjectView extends Node {
  readonly namespace: string;
  readonly path: string;
  readonly message?: string;
  readonly tree: Node;
  readonly declared?: { file: string; line: number; yaml?: string; link: string | null; repo: string; branch: string; commit: string | null };
  readonly events: readonly Record<string, string>[];
}

function Tree(props: { node: Node; current: string }) {
  const n = props.node;
  return (
    <li role="treeitem" aria-expanded={n.children.length ? true : undefined} aria-selected={n.key === props.current} aria-current={n.key === props.current ? 'true' : undefined}>
      <span class="tree-node">
        <span class="tree-kind">{n.kind}</span> {n.key === props.current ? <strong>{n.name}</strong> : <a href={links.object(n.key)}>{n.name}</a>} <HealthBadge health={n.health} reason={n.reason} />
      </span>
      {n.children.length ? <ul role="group">{n.children.map((c) => <Tree key={c.key} node={c} current={props.current} />)}</ul> : null}
    </li>
  );
}

export function ObjectPage(props: { who: Who; objectKey: string }) {
  const key = props.objectKey;
  const view = useView<ObjectView>(`/console/api/object?key=${encodeURIComponent(key)}`, (c) => c.key === key || c.namespace === key.split('/')[2]);
  const v = view.data;
  const [live, setLive] = useState<{ object?: Record<string, unknown>; error?: string }>({});
  useEffect(() => {
    if (v?.path) request<Record<string, unknown>>(v.path).then((object) => setLive({ object }), (err: Error) => setLive({ error: err.message }));
  }, [v?.path, v]);
  const status = live.object?.['status'] as { conditions?: Condition[] } & Record<string, unknown> | undefined;
  const { conditions, ...fields } = status ?? {};
  return (
    <Page title={v ? `${v.kind} ${v.namespace ? `${v.namespace}/` : ''}${v.name}` : 'Object'} actions={v ? <><HealthBadge health={v.health} reason={v.reason} />{v.declared ? <a class="button secondary" href={links.diff(key)}>Change in Diff</a> : null}</> : null}>
      {!v ? <Loading error={view.error} /> : (
        <>
          {v.message ? <p class="card note-card">{v.reason}: {v.message}</p> : null}
          <section class="card" aria-labelledby="tree-title">
            <h2 id="tree-title">Owner chain</h2>
            <ul role="tree" aria-labelledby="tree-title" class="tree"><Tree node={v.tree} current={v.key} /></ul>
          </section>
          <section class="card" aria-labelledby="declared-title">
            <h2 id="declared-title">Declared</h2>
            {v.declared ? (
              <>
                <p>
                  {v.declared.link ? <a href={v.declared.link} rel="noreferrer">{v.declared.file} line {v.declared.line}</a> : <code>{v.declared.file}:{v.declared.line}</code>} in <code>{v.declared.repo}</code> ({v.declared.branch}{v.declared.commit ? `, commit ${v.declared.commit.slice(0, 12)}` : ''})
                </p>
                {v.declared.yaml ? <pre class="code" tabIndex={0} aria-label="Declaration">{v.declared.yaml}</pre> : null}
              </>
            ) : (
              <p class="muted">Not declared in Git: pacific derives it from its owner.</p>
            )}
          </section>
          <section class="card" aria-labelledby="status-title">
            <h2 id="status-title">Status</h2>
            {live.error ? <p class="error" role="alert">{live.error}</p> : null}
            <Conditions conditions={conditions} label="Conditions" />
            {Object.keys(fields).length ? <pre class="code" tabIndex={0} aria-label="Status fields">{JSON.stringify(fields, null, 2)}</pre> : null}
          </section>
          <section class="card" aria-labelledby="events-title">
            <h2 id="events-title">Events</h2>
            <Events events={v.events} />
          </section>
        </>
      )}
    </Page>
  );
}
