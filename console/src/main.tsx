/** The console: sign-in, then the shell (navigation, who is signed in, the live indicator) around the page of the path. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, currentSession, prefetch, setSession, signOut, type Session } from './api';
import { onConnection, startLive, stopLive } from './live';
import { DiffPage } from './pages/diff';
import { HostsPage } from './pages/hosts';
import { NamespacePage } from './pages/namespace';
import { ObjectPage } from './pages/object';
import { OverviewPage } from './pages/overview';
import { SignIn } from './pages/signin';
import { currentLocation, interceptLinks, links, useLocation } from './router';
import './style.css';

function LiveIndicator() {
  const [up, setUp] = useState(false);
  useEffect(() => onConnection(setUp), []);
  return (
    <span class={`live ${up ? 'live-up' : 'live-down'}`} role="status" data-live={up ? 'up' : 'down'}>
      {up ? 'Live' : 'Reconnecting…'}
    </span>
  );
}

function Shell(props: { session: Session; onSignOut: () => void }) {
  const { path, query } = useLocation();
  const ns = /^\/namespaces\/([^/]+)$/.exec(path)?.[1];
  let page;
  if (path === '/' || path === '') page = <OverviewPage session={props.session} />;
  else if (ns) page = <NamespacePage session={props.session} namespace={decodeURIComponent(ns)} />;
  else if (path === '/object') page = <ObjectPage session={props.session} objectKey={query.get('key') ?? ''} />;
  else if (path === '/hosts') page = <HostsPage />;
  else if (path === '/diff') page = <DiffPage objectKey={query.get('key') ?? undefined} />;
  else page = <p role="alert">No page at {path}.</p>;
  const nav = [
    { href: links.overview(), label: 'Overview', current: path === '/' },
    { href: links.hosts(), label: 'Hosts', current: path === '/hosts' },
    { href: links.diff(), label: 'Diff', current: path === '/diff' },
  ];
  return (
    <div class="shell">
      <a class="skip" href="#main">Skip to content</a>
      <header class="topbar">
        <a class="brand" href={links.overview()}>pacific</a>
        <nav aria-label="Main">
          <ul>
            {nav.map((n) => (
              <li key={n.href}><a href={n.href} aria-current={n.current ? 'page' : undefined}>{n.label}</a></li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <LiveIndicator />
          <span class="user" data-testid="user">{props.session.user}{props.session.admin ? ' (VI admin)' : ''}</span>
          <button type="button" class="secondary" onClick={props.onSignOut}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>{page}</main>
    </div>
  );
}

function App() {
  const [session, setState] = useState<Session | undefined | null>(undefined);
  const use = (s: Session | null) => {
    setSession(s ?? undefined);
    setState(s);
    if (s) startLive();
    else stopLive();
  };
  useEffect(() => {
    currentSession().then(use, (err: unknown) => {
      if (!(err instanceof ApiError) || err.status !== 401) console.error(err);
      use(null);
    });
  }, []);
  if (session === undefined) return <p class="muted">Loading…</p>;
  if (session === null) return <SignIn onSignedIn={use} />;
  return <Shell session={session} onSignOut={() => void signOut().finally(() => use(null))} />;
}

interceptLinks();
if (currentLocation().path === '/') prefetch('/console/api/overview');
render(<App />, document.getElementById('app')!);
