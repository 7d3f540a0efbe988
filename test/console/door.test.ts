/**
 * The console's door over real HTTPS against `pacific serve`: the page's security headers, sign-in
 * into a cookie only the server can read, CSRF and origin on every state change (console actions
 * and the Kubernetes API's dry runs alike), the VI admin's actions (suspend, resume, reconcile)
 * refused to a tenant, a tenant cut to its namespaces, the health roll-up counting a namespace's own
 * objects, Secret values kept from a viewer, sign-out ending the session, and state changes held to
 * the write budget (429).
 */
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/daemon-process.js';
import { https, SECRET_VALUE, startConsoleFixture, vm, type ConsoleFixture } from './fixture.js';

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

interface StreamEvent {
  readonly event: string;
  readonly id?: string;
  readonly data: Record<string, unknown>;
}

/** Reads /console/api/stream until `enough` says so (or `ms` pass), then hangs up. */
function readStream(query: string, cookie: string, enough: (events: readonly StreamEvent[]) => boolean, ms = 5000): Promise<StreamEvent[]> {
  return new Promise((resolve, reject) => {
    const events: StreamEvent[] = [];
    const req = request(`${f.api}/console/api/stream${query}`, { ca: f.ca, agent: false, headers: { cookie } }, (res) => {
      let buffered = '';
      const done = () => {
        clearTimeout(timer);
        req.destroy();
        resolve(events);
      };
      const timer = setTimeout(done, ms);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let end;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const field = (name: string) => [...block.matchAll(/^(\w+): (.*)$/gm)].find((m) => m[1] === name)?.[2];
          const event = field('event');
          if (event) events.push({ event, id: field('id'), data: JSON.parse(field('data') ?? '{}') as Record<string, unknown> });
        }
        if (enough(events)) done();
      });
    });
    req.on('error', reject);
    req.end();
  });
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
    // The Overview's page asks for its files, then its data, as it arrives.
    expect(r.headers['link']).toMatch(/^<\/console\/assets\/[^>]+\.css>; rel=preload; as=style; crossorigin, <\/console\/assets\/[^>]+\.js>; rel=modulepreload, <\/console\/api\/overview>; rel=preload; as=fetch; crossorigin$/);
    // A deep link is the page too (its route is the browser's), without the Overview's data.
    const deep = await https(`${f.api}/console/namespaces/team-a`, f.ca);
    expect(deep.text).toBe(r.text);
    expect(deep.headers['link']).toBeUndefined();
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

  it('suspends and resumes for the VI admin only, shown on the overview', async () => {
    const admin = await signIn({ token: f.adminToken });
    const tenant = await signIn({ kubeconfig: f.kubeconfig('bob@vsphere.local', []) });
    const post = (s: Signed, action: string, body?: unknown) =>
      https(`${f.api}/console/api/${action}`, f.ca, { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, origin: f.api, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const overview = (s: Signed) => https(`${f.api}/console/api/overview`, f.ca, { headers: { cookie: s.cookie } }).then((r) => r.json<{ suspended: { by: string; reason?: string } | null }>());
    const me = (await https(`${f.api}/console/api/session`, f.ca, { headers: { cookie: admin.cookie } })).json<{ user: string }>();
    // A tenant owning its namespace still may not stop what runs for everyone.
    expect((await post(tenant, 'suspend', {})).status).toBe(403);
    expect((await https(`${f.api}/console/api/suspend`, f.ca, { method: 'POST', headers: { cookie: admin.cookie, origin: f.api } })).status).toBe(403);
    expect((await post(admin, 'suspend', { reason: 42 })).status).toBe(400);
    expect((await overview(admin)).suspended).toBeNull();
    const suspended = await post(admin, 'suspend', { reason: 'storage maintenance' });
    expect(suspended.status, suspended.text).toBe(200);
    expect((await overview(admin)).suspended).toMatchObject({ by: me.user, reason: 'storage maintenance' });
    expect((await overview(tenant)).suspended).toMatchObject({ reason: 'storage maintenance' });
    // The same switch as `pacific suspend`: the status listener says so, and a pass is refused.
    const summary = await fetch(`${f.daemon.url}/status/summary`, { headers: { authorization: `Bearer ${f.adminToken}` } }).then((r) => r.json() as Promise<{ suspended: { by: string } | null }>);
    expect(summary.suspended?.by).toBe(me.user);
    const refused = await post(admin, 'reconcile');
    expect(refused.status).toBe(409);
    expect(refused.json<{ message: string }>().message).toContain('suspended');
    expect((await post(tenant, 'resume')).status).toBe(403);
    expect((await post(admin, 'resume')).status).toBe(202);
    expect((await overview(admin)).suspended).toBeNull();
    expect((await post(admin, 'reconcile')).status).toBe(202);
  });

  it("rolls up a namespace's own objects, not the vCenter classes and images served into it", async () => {
    const s = await signIn({ token: f.adminToken });
    const get = (path: string) => https(`${f.api}${path}`, f.ca, { headers: { cookie: s.cookie } }).then((r) => r.json<Record<string, unknown>>());
    // The API serves team-a its two bound classes and the images it may use ...
    expect(((await get('/apis/vmoperator.vmware.com/v1alpha3/namespaces/team-a/virtualmachineclasses'))['items'] as unknown[]).length).toBe(2);
    expect(((await get('/apis/vmoperator.vmware.com/v1alpha3/namespaces/team-a/virtualmachineimages'))['items'] as unknown[]).length).toBeGreaterThan(0);
    // ... but team-a holds 4 VMs, a Deployment, its ReplicaSet and 2 Pods, a Secret, a quota and a policy.
    const overview = (await get('/console/api/overview')) as { namespaces: { name: string; total: number }[] };
    const total = (ns: string) => overview.namespaces.find((n) => n.name === ns)?.total;
    expect(total('team-a')).toBe(11);
    expect(total('team-b')).toBe(3);
    const kinds = ((await get('/console/api/namespaces/team-a'))['kinds'] as { kind: string; rows: unknown[] }[]).map((k) => `${k.kind}:${k.rows.length}`);
    expect(kinds).toEqual(['Deployment:1', 'NamespacePolicy:1', 'Pod:2', 'ReplicaSet:1', 'ResourceQuota:1', 'Secret:1', 'VirtualMachine:4']);
  });

  it("links a declaration to the Git host only when the source is a remote's URL (here a local path: none)", async () => {
    const s = await signIn({ token: f.adminToken });
    const view = (await https(`${f.api}/console/api/object?key=vmoperator.vmware.com%2FVirtualMachine%2Fteam-a%2Fweb-1`, f.ca, { headers: { cookie: s.cookie } })).json<{ declared: { file: string; link: string | null; repo: string } }>();
    expect(view.declared.file).toBe('namespaces/team-a/vms.yaml');
    expect(view.declared.repo).toMatch(/^\//);
    expect(view.declared.link).toBeNull();
  });

  it("resumes the live stream at the Overview's answer: what changed after it arrives, and a source change says status", async () => {
    const s = await signIn({ token: f.adminToken });
    const overview = () => https(`${f.api}/console/api/overview`, f.ca, { headers: { cookie: s.cookie } }).then((r) => r.json<{ resourceVersion: number; statusVersion: string; source: { lastAppliedRevision: string } }>());
    const painted = await overview();
    expect(painted.statusVersion).toMatch(/^[\w-]{16}$/);
    // Opened with the versions it painted and nothing changed since: ready, and no status event.
    const quiet = await readStream(`?since=${painted.resourceVersion}&status=${painted.statusVersion}`, s.cookie, (e) => e.some((x) => x.event === 'status'), 1500);
    expect(quiet.map((e) => e.event)).toEqual(['ready']);
    // A push lands between the Overview's answer and the stream's opening ...
    const sha = f.push({ 'namespaces/team-b/late.yaml': vm('late-1') }, 'a VM the page has not seen');
    await waitFor(async () => ((await overview()).source.lastAppliedRevision.endsWith(sha) ? true : undefined), 'the push applied');
    // ... and the stream opened at the painted versions delivers it, then says the source changed.
    const events = await readStream(`?since=${painted.resourceVersion}&status=${painted.statusVersion}`, s.cookie, (e) => e.some((x) => x.event === 'status'));
    expect(events.map((e) => e.event)).toEqual(['change', 'ready', 'status']);
    expect((events[0]!.data['changes'] as { key: string; type: string }[]).filter((c) => c.type === 'ADDED').map((c) => c.key)).toContain('vmoperator.vmware.com/VirtualMachine/team-b/late-1');
    // A stream opened without versions starts at now: the push is behind it.
    const fresh = await readStream('', s.cookie, (e) => e.some((x) => x.event === 'ready'));
    expect(fresh.map((e) => e.event)).toEqual(['ready']);
  });

  it('ends the session at sign-out', async () => {
    const s = await signIn({ token: f.adminToken });
    const out = await https(`${f.api}/console/api/session`, f.ca, { method: 'DELETE', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(out.status).toBe(200);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await https(`${f.api}/console/api/overview`, f.ca, { headers: { cookie: s.cookie } })).status).toBe(401);
  });

  it('holds state changes to the write budget per client address: 429 with Retry-After beyond it', async () => {
    const s = await signIn({ token: f.adminToken });
    const resume = () => https(`${f.api}/console/api/resume`, f.ca, { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, origin: f.api } });
    // The default budget: 20 at once, then 5 a second; 30 at once spend it whatever went before.
    const replies = await Promise.all(Array.from({ length: 30 }, () => resume()));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((x) => x !== 202 && x !== 429)).toEqual([]);
    expect(statuses.filter((x) => x === 202).length).toBeLessThanOrEqual(25);
    const limited = replies.find((r) => r.status === 429);
    expect(limited, `no 429 in ${statuses.join(' ')}`).toBeDefined();
    expect(limited!.json<{ message: string }>().message).toMatch(/too many state-changing requests .* at most 20 at once and 5 a second/);
    const wait = Number(limited!.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(1);
    // Reads are not state changes.
    expect((await https(`${f.api}/console/api/overview`, f.ca, { headers: { cookie: s.cookie } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, wait * 1000));
    expect((await resume()).status).toBe(202);
  });
});
