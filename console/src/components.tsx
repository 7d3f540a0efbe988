/** Small pieces every page uses: a view loaded from the daemon and kept live, health, bars, a virtualised list. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { request, takeArrived, takePrefetched } from './api';
import { useLive, type Change } from './live';

export type Health = 'Ready' | 'Progressing' | 'Waiting' | 'Degraded';
export const HEALTHS: readonly Health[] = ['Ready', 'Progressing', 'Waiting', 'Degraded'];

export interface Loaded<T> {
  readonly data?: T;
  readonly error?: string;
  readonly reload: () => void;
}

/** GETs `path` and again whenever a change that `matters` arrives through the live stream. */
export function useView<T>(path: string, matters: (c: Change) => boolean): Loaded<T> {
  // A prefetched answer that has come is drawn in the first render (no frame of "Loading…").
  const [state, setState] = useState<{ data?: T; error?: string }>(() => {
    const data = takeArrived<T>(path);
    return data === undefined ? {} : { data };
  });
  const mounted = useRef(false);
  const seq = useRef(0);
  const reload = useCallback(() => {
    const mine = ++seq.current;
    (takePrefetched<T>(path) ?? request<T>(path)).then(
      (data) => mine === seq.current && setState({ data }),
      (err: Error) => mine === seq.current && setState((s) => ({ ...s, error: err.message })),
    );
  }, [path]);
  useEffect(() => {
    const first = !mounted.current;
    mounted.current = true;
    if (first && state.data !== undefined) return; // mounted with its data: asked again when a change arrives
    setState({});
    reload();
  }, [reload]);
  useLive(matters, reload);
  return { ...state, reload };
}

export function Page(props: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  useEffect(() => {
    document.title = `${props.title} · pacific console`;
  }, [props.title]);
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-header">
        <h1 id="page-title">{props.title}</h1>
        {props.actions ? <div class="page-actions">{props.actions}</div> : null}
      </header>
      {props.children}
    </section>
  );
}

export function Loading(props: { error?: string | undefined }) {
  return props.error ? <p class="error" role="alert">{props.error}</p> : <p class="muted" aria-live="polite">Loading…</p>;
}

export function HealthBadge(props: { health: string; reason?: string | undefined }) {
  return (
    <span class={`badge health-${props.health.toLowerCase()}`} title={props.reason}>
      {props.health}
      {props.reason ? <span class="visually-hidden">: {props.reason}</span> : null}
    </span>
  );
}

/** A labelled bar of `used` out of `max` (a meter for assistive technology). */
export function Bar(props: { label: string; used: number; max: number; text: string }) {
  const share = props.max > 0 ? Math.min(1, props.used / props.max) : 0;
  const level = share >= 0.9 ? 'high' : share >= 0.7 ? 'mid' : 'low';
  return (
    <div class="bar-row">
      <span class="bar-label">{props.label}</span>
      <div class={`bar bar-${level}`} role="meter" aria-label={props.label} aria-valuemin={0} aria-valuemax={props.max} aria-valuenow={Math.min(props.used, props.max)} aria-valuetext={props.text}>
        <div class="bar-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
      </div>
      <span class="bar-text">{props.text}</span>
    </div>
  );
}

/** Health counts as one stacked bar. */
export function HealthBar(props: { counts: Record<Health, number>; label: string }) {
  const total = HEALTHS.reduce((n, h) => n + props.counts[h], 0);
  const text = HEALTHS.filter((h) => props.counts[h]).map((h) => `${props.counts[h]} ${h}`).join(', ') || 'no objects';
  return (
    <div class="stack" role="img" aria-label={`${props.label}: ${text}`}>
      {HEALTHS.map((h) => (props.counts[h] ? <div key={h} class={`stack-part health-${h.toLowerCase()}`} style={{ width: `${(props.counts[h] / total) * 100}%` }} /> : null))}
    </div>
  );
}

/**
 * Renders only the rows in view (plus a margin): 10,000 rows scroll as smoothly as 10. Rows have
 * one fixed height; the list is a scrolling region reachable by keyboard.
 */
export function VirtualList<T>(props: { items: readonly T[]; rowHeight: number; height: number; label: string; row: (item: T, index: number) => ComponentChildren; header?: ComponentChildren }) {
  const [top, setTop] = useState(0);
  const { items, rowHeight } = props;
  const height = Math.min(props.height, items.length * rowHeight);
  const first = Math.max(0, Math.floor(top / rowHeight) - 8);
  const last = Math.min(items.length, Math.ceil((top + height) / rowHeight) + 8);
  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) rows.push(<div key={i} role="row" class="vrow" style={{ transform: `translateY(${i * rowHeight}px)`, height: `${rowHeight}px` }}>{props.row(items[i]!, i)}</div>);
  return (
    <div role="table" aria-label={props.label} aria-rowcount={items.length} class="vtable">
      {props.header ? <div role="rowgroup"><div role="row" class="vrow vhead">{props.header}</div></div> : null}
      <div role="rowgroup" class="vscroll" tabIndex={0} aria-label={`${props.label}, ${items.length} rows`} style={{ height: `${height}px` }} onScroll={(e) => setTop((e.currentTarget as HTMLElement).scrollTop)}>
        <div class="vspace" style={{ height: `${items.length * rowHeight}px` }}>{rows}</div>
      </div>
    </div>
  );
}

export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
}

export function Conditions(props: { conditions: readonly Condition[] | undefined; label: string }) {
  if (!props.conditions?.length) return <p class="muted">No conditions.</p>;
  return (
    <table class="grid">
      <caption class="visually-hidden">{props.label}</caption>
      <thead>
        <tr><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Reason</th><th scope="col">Message</th><th scope="col">Since</th></tr>
      </thead>
      <tbody>
        {props.conditions.map((c) => (
          <tr key={c.type}>
            <td>{c.type}</td>
            <td><span class={`badge status-${c.status.toLowerCase()}`}>{c.status}</span></td>
            <td>{c.reason}</td>
            <td class="message">{c.message}</td>
            <td><Time value={c.lastTransitionTime} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A moment in the browser's time zone as `2026-12-05 19:01:45`. Not `toLocaleString`: a page's
 * first Intl date format loads the locale's data, 40–250 ms before the Overview could paint.
 */
export function localTime(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function Time(props: { value: string | undefined | null }) {
  if (!props.value) return null;
  const d = new Date(props.value);
  return <time dateTime={props.value} title={d.toISOString()}>{localTime(d)}</time>;
}

export const shortRevision = (rev: string | null | undefined) => (rev ? rev.slice(0, 12) : '—');

export function Events(props: { events: readonly { type?: string; reason?: string; message?: string; object?: string; time?: string; count?: number }[] }) {
  if (!props.events.length) return <p class="muted">No recent events.</p>;
  return (
    <table class="grid">
      <caption class="visually-hidden">Recent events</caption>
      <thead><tr><th scope="col">Type</th><th scope="col">Reason</th><th scope="col">Object</th><th scope="col">Message</th><th scope="col">Last seen</th></tr></thead>
      <tbody>
        {props.events.map((e, i) => (
          <tr key={i}>
            <td><span class={`badge event-${(e.type ?? 'normal').toLowerCase()}`}>{e.type}</span></td>
            <td>{e.reason}</td>
            <td>{e.object}</td>
            <td class="message">{e.message}</td>
            <td><Time value={e.time} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
