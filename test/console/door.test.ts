/**
 * The console's door over real HTTPS against `pacific serve`: the page's security headers, sign-in
 * into a cookie only the server can read, CSRF and origin on every state change (console actions
 * and the Kubernetes API's dry runs alike), the VI admin's actions refused to a tenant, a tenant cut
 * to its namespaces, Secret values kept from a viewer, and sign-out ending the session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { https, SECRET_VALUE, startConsoleFixture, type ConsoleFixture } from './fixture.js';

let f: ConsoleFixture;

interface Signed {
  readonly cookie: string;
  readonly csrf: string;
  readonly setCookie: string;
}

async function signIn(body: Record<string, string>): Promise<Signed> {
  const r = await https(`${f.api}/console/api/session`, f.ca, { method: 'POST', headers: { 'content-type': 'application/json', origin: f.api }, body: JSON.stringify(body) });
  expect(r.status, r.text).toBe(200);
  const setCookie = String(r.headers['set-cookie']);
  return { cookie: setCookie.split(';')[0]!, csrf: r.json<{ csrf: string }>().csrf, setCookie };
}

beforeAll(async () => {
  f = await startConsoleFixture();
}, 120_000);

afterAll(async () => {
  await f?.stop();
});

describe('console door', () => {
  it('serves the page with a strict CSP, no framing and no inline script', async () => {
    const r = await https(`${f.api}/console/`, f.ca);
    expect(r.status).toBe(200);
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    // Every script is a file of this origin.
    expect(r.text).not.toMatch(/<script(?![^>]*\bsrc="\/console\/)[^>]*>/);
    expect(r.text).not.toMatch(/\bstyle="/);
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(r.text)![1]!;
    const asset = await https(`${f.api}${script}`, f.ca);
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    // A deep link is the page too (its route is the browser's).
    expect((await https(`${f.api}/console/namespaces/team-a`, f.ca)).text).toBe(r.text);
  });

  it('signs in into a __Host- cookie that is HttpOnly, Secure and SameSite=Strict', async () => {
    const bad = await https(`${f.api}/console/api/session`, f.ca, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'not-a-token' }) });
    expect(bad.status).toBe(401);
    expect(bad.headers['set-cookie']).toBeUndefined();
    const s = await signIn({ token: f.adminToken });
    expect(s.setCookie).toMatch(/^__Host-pacific-console=[\w-]{40,};/);
    for (const flag of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/']) expect(s.setCookie).toContain(flag);
    expect(s.setCookie).not.toContain(f.adminToken);
    const me = await https(`${f.api}/console/api/session`, f.ca, { headers: { cookie: s.cookie } });
    expect(me.json()).toMatchObject({ admin: true, csrf: s.csrf });
    // The cookie reads the Kubernetes API too.
    const vms = await https(`${f.api}/apis/vmoperator.vmware.com/v1alpha3/virtualmachines`, f.ca, { headers: { cookie: s.cookie } });
    expect(vms.status).toBe(200);
    expect(vms.json<{ items: unknown[] }>().items).toHaveLength(6);
    expect((await https(`${f.api}/console/api/overview`, f.ca)).status).toBe(401);
  });

  it('refuses a state change without the CSRF token or from another origin', async () => {
    const s = await signIn({ token: f.adminToken });
    const post = (headers: Record<string, string>) => https(`${f.api}/console/api/reconcile`, f.ca, { method: 'POST', headers: { cookie: s.cookie, ...headers } });
    expect((await post({})).status).toBe(403);
    expect((await post({ 'x-csrf-token': 'x'.repeat(43) })).status).toBe(403);
    expect((await post({ 'x-csrf-token': s.csrf, origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ 'x-csrf-token': s.csrf, origin: f.api })).status).toBe(202);
    // A dry run through the API with the cookie needs the token as well.
    const path = `${f.api}/apis/vmoperator.vmware.com/v1alpha3/namespaces/team-a/virtualmachines/web-1?dryRun=All`;
    const patch = (headers: Record<string, string>) => https(path, f.ca, { method: 'PATCH', headers: { cookie: s.cookie, 'content-type': 'application/merge-patch+json', ...headers }, body: '{"spec":{"powerState":"PoweredOff"}}' });
    const refused = await patch({});
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('CSRF');
    const dry = await patch({ 'x-csrf-token': s.csrf });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json<{ spec: { powerState: string } }>().spec.powerState).toBe('PoweredOff');
  });

  it('cuts a tenant signed in with its kubeconfig to its namespaces and keeps Secret values from a viewer', async () => {
    const s = await signIn({ kubeconfig: f.kubeconfig('dan@vsphere.local', ['auditors@vsphere.local']) });
    const get = (path: string) => https(`${f.api}${path}`, f.ca, { headers: { cookie: s.cookie } });
    const overview = (await get('/console/api/overview')).json<{ namespaces: { name: string }[] }>();
    expect(overview.namespaces.map((n) => n.name)).toEqual(['team-a']);
    const other = await get('/console/api/namespaces/team-b');
    expect(other.status).toBe(403);
    expect((await get('/console/api/object?key=vmoperator.vmware.com%2FVirtualMachine%2Fteam-b%2Fbatch-1')).status).toBe(404);
    expect((await get('/apis/vmoperator.vmware.com/v1alpha3/namespaces/team-b/virtualmachines')).status).toBe(403);
    const hosts = (await get('/console/api/hosts')).text;
    expect(hosts).not.toContain('batch-');
    // A viewer reads the Secret without its values, in the API and in the console's views.
    const secret = await get('/api/v1/namespaces/team-a/secrets/db-password');
    expect(secret.status).toBe(200);
    const object = await get('/console/api/object?key=%2FSecret%2Fteam-a%2Fdb-password');
    for (const text of [secret.text, object.text, (await get('/console/api/namespaces/team-a')).text]) {
      expect(text).not.toContain(SECRET_VALUE);
      expect(text).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
    }
    // The VI admin's actions are not a tenant's.
    const confirm = await https(`${f.api}/console/api/prune/confirm`, f.ca, { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' }, body: '{"revision":"x"}' });
    expect(confirm.status).toBe(403);
    expect(confirm.json<{ message: string }>().message).toContain('not a VI admin');
  });

  it('ends the session at sign-out', async () => {
    const s = await signIn({ token: f.adminToken });
    const out = await https(`${f.api}/console/api/session`, f.ca, { method: 'DELETE', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(out.status).toBe(200);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await https(`${f.api}/console/api/overview`, f.ca, { headers: { cookie: s.cookie } })).status).toBe(401);
  });
});
