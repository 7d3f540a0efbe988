/** The console: sign-in, then the shell (navigation, who is signed in, the live indicator) around the page of the path. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, currentSession, prefetch, setSession, signOut, type Session, type Who } from './api';
import { onConnection, startLive, stopLive, type LiveFrom } from './live';
import { DiffPage } from './pages/diff';
import { HostsPage } from './pages/hosts';
import { NamespacePage } from './pages/namespace';
import { ObjectPage } from './pages/object';
import { OverviewPage, type Overview } from './pages/overview';
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

function Shell(props: { who: Who; onSignOut: () => void }) {
  const { path, query } = useLocation();
  const ns = /^\/namespaces\/([^/]+)$/.exec(path)?.[1];
  let page;
  if (path === '/' || path === '') page = <OverviewPage who={props.who} />;
  else if (ns) page = <NamespacePage who={props.who} namespace={decodeURIComponent(ns)} />;
  else if (path === '/object') page = <ObjectPage who={props.who} objectKey={query.get('key') ?? ''} />;
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
          <span class="user" data-testid="user">{props.who.user}{props.who.admin ? ' (VI admin)' : ''}</span>
          <button type="button" class="secondary" onClick={props.onSignOut}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>{page}</main>
    </div>
  );
}

function App(props: { who: Who | null }) {
  const [who, setWho] = useState(props.who);
  useEffect(() => {
    // After the first paint: the first screen does not wait for the live stream.
    if (who) startLive(firstOverview);
    else stopLive();
    firstOverview = undefined; // a later sign-in has no such answer: its stream reloads the views once
  }, [who]);
  const signedIn = (s: Session) => {
    setSession(s);
    setWho(s);
  };
  const signedOut = () => {
    setSession(undefined);
    setWho(null);
  };
  if (!who) return <SignIn onSignedIn={signedIn} />;
  return <Shell who={who} onSignOut={() => void signOut().finally(signedOut)} />;
}

/**
 * Who is signed in, from the first answer that says. On the Overview that is its own data (asked
 * for by the page's preload, it names its reader; a 401 means sign in), so its first paint waits
 * for one request, not the session's as well; elsewhere the session's. The session's CSRF token
 * follows for writes without holding up the first render.
 */
let firstOverview: LiveFrom | undefined;

async function signedInAs(): Promise<Who | null> {
  const session = currentSession();
  setSession(session);
  const first: Promise<Who> =
    currentLocation().path === '/'
      ? prefetch<Overview>('/console/api/overview').then(
          (o) => {
            firstOverview = { resourceVersion: o.resourceVersion, statusVersion: o.statusVersion };
            return { user: o.user.name, admin: o.user.admin };
          },
          (err: unknown) => (err instanceof ApiError && err.status === 401 ? Promise.reject(err) : session),
        )
      : session;
  try {
    return await first;
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) console.error(err);
    return null;
  }
}

interceptLinks();
render(<App who={await signedInAs()} />, document.getElementById('app')!);
