/** Console sessions: idle and absolute expiry, a token that stops being accepted, the bound on sessions, kubeconfig tokens. */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Authenticator } from '../../daemon/access/identity.js';
import { IDLE_MS, kubeconfigToken, MAX_AGE_MS, MAX_SESSIONS, SESSION_COOKIE, Sessions } from '../../daemon/console/sessions.js';

const accepted = new Set(['good']);
const authn: Authenticator = { authenticate: (h) => (typeof h === 'string' && accepted.has(h.slice(7)) ? { user: 'u', groups: [] } : h ? { refused: 'expired' } : undefined) };
const req = (id: string, headers: Record<string, string> = {}) => ({ headers: { cookie: `other=1; ${SESSION_COOKIE}=${id}`, ...headers } }) as unknown as IncomingMessage;

describe('console sessions', () => {
  it('end after an idle hour and after ten hours whatever the use', () => {
    let now = 0;
    const sessions = new Sessions(authn, () => now);
    const a = sessions.signIn('good');
    if ('refused' in a) throw new Error(a.refused);
    now = IDLE_MS - 1;
    expect(sessions.lookup(req(a.id))).toMatchObject({ identity: { user: 'u' } });
    now += IDLE_MS + 1;
    expect(sessions.lookup(req(a.id))).toEqual({ refused: expect.stringContaining('expired') });
    const b = sessions.signIn('good') as { id: string };
    const start = now;
    for (now = start; now < start + MAX_AGE_MS; now += IDLE_MS / 2) expect(sessions.lookup(req(b.id))).toHaveProperty('identity');
    now = start + MAX_AGE_MS + 1;
    expect(sessions.lookup(req(b.id))).toHaveProperty('refused');
  });

  it('end when the token stops being accepted, and check the CSRF token', () => {
    accepted.add('short');
    const sessions = new Sessions(authn);
    const s = sessions.signIn('short') as { id: string; view: { csrf: string } };
    const view = sessions.lookup(req(s.id));
    if (!view || 'refused' in view) throw new Error('no session');
    expect(sessions.csrfOk(req(s.id, { 'x-csrf-token': s.view.csrf }), view)).toBe(true);
    expect(sessions.csrfOk(req(s.id, { 'x-csrf-token': s.view.csrf.slice(1) }), view)).toBe(false);
    expect(sessions.csrfOk(req(s.id), view)).toBe(false);
    accepted.delete('short');
    expect(sessions.lookup(req(s.id))).toEqual({ refused: expect.stringContaining('expired') });
    expect(sessions.signIn('short')).toHaveProperty('refused');
  });

  it('hold at most MAX_SESSIONS, dropping the least recently used', () => {
    const sessions = new Sessions(authn);
    const first = sessions.signIn('good') as { id: string };
    const second = sessions.signIn('good') as { id: string };
    sessions.lookup(req(first.id));
    for (let i = 0; i < MAX_SESSIONS - 1; i++) sessions.signIn('good');
    expect(sessions.size).toBe(MAX_SESSIONS);
    expect(sessions.lookup(req(second.id))).toHaveProperty('refused');
    expect(sessions.lookup(req(first.id))).toHaveProperty('identity');
  });

  it('take the token of a kubeconfig current context and say why there is none', () => {
    const config = (token?: string) => `apiVersion: v1
kind: Config
current-context: team-a
contexts:
  - {name: default, context: {cluster: pacific, user: other}}
  - {name: team-a, context: {cluster: pacific, user: alice, namespace: team-a}}
users:
  - {name: other, user: {token: nope}}
  - {name: alice, user: {${token ? `token: ${token}` : 'client-certificate-data: abc'}}}
`;
    expect(kubeconfigToken(config('abc.def'))).toBe('abc.def');
    expect(kubeconfigToken(config())).toEqual({ refused: expect.stringContaining('has no bearer token') });
    expect(kubeconfigToken('{')).toEqual({ refused: expect.stringContaining('not YAML') });
  });
});
