/** Sign-in with a bearer token (the daemon's admin token, or one pacific kubeconfig wrote) or a kubeconfig file. */
import { useState } from 'preact/hooks';
import { signIn, type Session } from '../api';

export function SignIn(props: { onSignedIn: (s: Session) => void }) {
  const [mode, setMode] = useState<'token' | 'kubeconfig'>('token');
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      props.onSignedIn(await signIn(mode === 'token' ? { token: value } : { kubeconfig: value }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const readFile = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (file) setValue(await file.text());
  };
  return (
    <main id="main" class="signin">
      <h1>pacific console</h1>
      <p>Sign in as a vSphere identity: you see the namespaces your NamespacePolicy roles name.</p>
      <form onSubmit={submit} aria-describedby={error ? 'signin-error' : undefined}>
        <fieldset>
          <legend>Sign in with</legend>
          <label><input type="radio" name="mode" checked={mode === 'token'} onChange={() => setMode('token')} /> a token</label>
          <label><input type="radio" name="mode" checked={mode === 'kubeconfig'} onChange={() => setMode('kubeconfig')} /> a kubeconfig</label>
        </fieldset>
        {mode === 'token' ? (
          <>
            <label for="token">Bearer token</label>
            <input id="token" name="token" type="password" autoComplete="off" value={value} onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)} required />
            <p class="hint">The daemon's admin token is the <code>token</code> file in its state dir; <code>pacific kubeconfig</code> writes one per identity.</p>
          </>
        ) : (
          <>
            <label for="kubeconfig-file">Kubeconfig file</label>
            <input id="kubeconfig-file" type="file" onChange={readFile} />
            <label for="kubeconfig">or paste it</label>
            <textarea id="kubeconfig" name="kubeconfig" rows={8} value={value} onInput={(e) => setValue((e.currentTarget as HTMLTextAreaElement).value)} required />
          </>
        )}
        {error ? <p id="signin-error" class="error" role="alert">{error}</p> : null}
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
