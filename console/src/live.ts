/**
 * Live updates: one EventSource on /console/api/stream for the whole page (after a drop it
 * resumes after the last resourceVersion by itself). Pages subscribe with a filter and reload their view, debounced,
 * when a change they show arrives; `status` and `expired` reload every view.
 */
import { useEffect, useRef } from 'preact/hooks';

export interface Change {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly key: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly health?: string;
}

type Listener = (changes: readonly Change[] | 'all') => void;

const listeners = new Set<Listener>();
let source: EventSource | undefined;
let connected = false;
const connectionListeners = new Set<(up: boolean) => void>();

function tell(changes: readonly Change[] | 'all'): void {
  for (const l of listeners) l(changes);
}

function setConnected(up: boolean): void {
  connected = up;
  for (const l of connectionListeners) l(up);
}

/** Where the page's first data was read: the stream resumes from there, so nothing in between is missed. */
export interface LiveFrom {
  readonly resourceVersion: number;
  readonly statusVersion: string;
}

/**
 * Opens the stream after the first paint. From the Overview's answer it resumes at that answer's
 * versions (the daemon sends what changed since); from any other page's data, which carries no
 * version, the first `ready` reloads every view once.
 */
export function startLive(from?: LiveFrom): void {
  if (source) return;
  source = new EventSource(from ? `/console/api/stream?since=${from.resourceVersion}&status=${encodeURIComponent(from.statusVersion)}` : '/console/api/stream');
  let first = !from;
  source.addEventListener('ready', () => {
    setConnected(true);
    if (first) tell('all');
    first = false;
  });
  source.addEventListener('change', (e) => tell((JSON.parse((e as MessageEvent<string>).data) as { changes: Change[] }).changes));
  source.addEventListener('status', () => tell('all'));
  source.addEventListener('expired', () => tell('all'));
  source.addEventListener('ended', () => stopLive());
  source.onerror = () => setConnected(false);
}

export function stopLive(): void {
  source?.close();
  source = undefined;
  setConnected(false);
}

export function onConnection(listener: (up: boolean) => void): () => void {
  connectionListeners.add(listener);
  listener(connected);
  return () => connectionListeners.delete(listener);
}

/** Calls `reload` (at most every 250 ms) when a change `matters`, or when everything should be reloaded. */
export function useLive(matters: (c: Change) => boolean, reload: () => void): void {
  const latest = useRef({ matters, reload });
  latest.current = { matters, reload };
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const listener: Listener = (changes) => {
      if (changes !== 'all' && !changes.some((c) => latest.current.matters(c))) return;
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        latest.current.reload();
      }, 250);
    };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      clearTimeout(timer);
    };
  }, []);
}
