/** Webhook schemes of each forge, and the receiver's verdicts: only a verified push of the followed ref fetches. */
import { createHmac } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pushConcerns, Receivers } from '../../daemon/receivers/receivers.js';
import { readDelivery } from '../../daemon/receivers/schemes.js';
import { tempDir } from '../support/temp.js';

const SECRET = "It's a Secret to Everybody";
const hmac = (algo: string, body: string, secret = SECRET) => createHmac(algo, secret).update(body).digest('hex');
const push = JSON.stringify({ ref: 'refs/heads/main', before: '0'.repeat(40), after: '1'.repeat(40) });

describe('webhook schemes', () => {
  it("verifies GitHub's documented test vector", () => {
    expect(hmac('sha256', 'Hello, World!')).toBe('757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
    const body = Buffer.from('Hello, World!');
    expect(readDelivery({ 'x-github-event': 'ping', 'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' }, body, SECRET)).toEqual({ forge: 'github', kind: 'ping' });
  });

  it('reads a signed push of each forge, with the refs it moved', () => {
    const body = Buffer.from(push);
    expect(readDelivery({ 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${hmac('sha256', push)}` }, body, SECRET)).toEqual({ forge: 'github', kind: 'push', refs: ['refs/heads/main'] });
    expect(readDelivery({ 'x-gitea-event': 'push', 'x-gitea-signature': hmac('sha256', push) }, body, SECRET)).toMatchObject({ forge: 'gitea', kind: 'push' });
    expect(readDelivery({ 'x-forgejo-event': 'push', 'x-forgejo-signature': hmac('sha256', push) }, body, SECRET)).toMatchObject({ forge: 'forgejo', kind: 'push' });
    expect(readDelivery({ 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': SECRET }, body, SECRET)).toMatchObject({ forge: 'gitlab', kind: 'push', refs: ['refs/heads/main'] });
    const cloud = JSON.stringify({ push: { changes: [{ new: { type: 'branch', name: 'main' }, old: { type: 'branch', name: 'main' } }] } });
    expect(readDelivery({ 'x-event-key': 'repo:push', 'x-hub-signature': `sha256=${hmac('sha256', cloud)}` }, Buffer.from(cloud), SECRET)).toEqual({ forge: 'bitbucket', kind: 'push', refs: ['refs/heads/main'] });
    const server = JSON.stringify({ changes: [{ refId: 'refs/heads/main', toHash: '1'.repeat(40) }] });
    expect(readDelivery({ 'x-event-key': 'repo:refs_changed', 'x-hub-signature': `sha256=${hmac('sha256', server)}` }, Buffer.from(server), SECRET)).toMatchObject({ refs: ['refs/heads/main'] });
    for (const algo of ['sha1', 'sha256', 'sha512']) expect(readDelivery({ 'x-signature': `${algo}=${hmac(algo, 'anything')}` }, Buffer.from('anything'), SECRET)).toEqual({ forge: 'generic', kind: 'push' });
  });

  it('refuses a wrong or missing signature (401), and a signed event that is not a push (400 from the receiver)', () => {
    const body = Buffer.from(push);
    expect(readDelivery({ 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${hmac('sha256', push, 'other')}` }, body, SECRET)).toMatchObject({ status: 401 });
    // The legacy sha1 header alone is not enough for GitHub.
    expect(readDelivery({ 'x-github-event': 'push', 'x-hub-signature': `sha1=${hmac('sha1', push)}` }, body, SECRET)).toMatchObject({ status: 401 });
    expect(readDelivery({ 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': `${SECRET}x` }, body, SECRET)).toMatchObject({ status: 401 });
    expect(readDelivery({ 'x-gitea-event': 'push', 'x-gitea-signature': hmac('sha256', `${push} `) }, body, SECRET)).toMatchObject({ status: 401 });
    expect(readDelivery({ 'content-type': 'application/json' }, body, SECRET)).toMatchObject({ status: 401 });
    expect(readDelivery({ 'x-github-event': 'issues', 'x-hub-signature-256': `sha256=${hmac('sha256', push)}` }, body, SECRET)).toEqual({ forge: 'github', kind: 'other', event: 'issues' });
    expect(readDelivery({ 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${hmac('sha256', 'not json')}` }, Buffer.from('not json'), SECRET)).toMatchObject({ status: 400 });
  });
});

describe('receivers', () => {
  it('match the followed ref only', () => {
    expect(pushConcerns({ kind: 'branch', name: 'main' }, ['refs/heads/main'])).toBe(true);
    expect(pushConcerns({ kind: 'branch', name: 'main' }, ['refs/heads/dev'])).toBe(false);
    expect(pushConcerns({ kind: 'semver', range: '^1' }, ['refs/tags/v1.2.0'])).toBe(true);
    expect(pushConcerns({ kind: 'tag', name: 'v1' }, ['refs/tags/v2'])).toBe(false);
    expect(pushConcerns({ kind: 'branch', name: 'main' }, undefined)).toBe(true);
  });

  it('generate a secret once (0600), derive an unguessable id from it, and fetch only on a verified push of the followed ref', () => {
    const { dir, cleanup } = tempDir();
    try {
      const fetched: number[] = [];
      const target = { location: 'https://git.example.com/org/gitops.git', ref: { kind: 'branch', name: 'main' } as const, fetchNow: (at: number) => fetched.push(at) };
      const receivers = new Receivers(dir);
      const { info, generated } = receivers.add(target);
      expect(generated).toBe(true);
      expect(info.path).toMatch(/^\/hooks\/[0-9a-f]{64}$/);
      expect(statSync(info.secretFile).mode & 0o777).toBe(0o600);
      // A restart keeps the secret, so the id (and the Git host's configuration) stays.
      const again = new Receivers(dir).add(target);
      expect(again).toEqual({ info, generated: false });
      const secret = readFileSync(join(info.secretFile), 'utf8').trim();
      const id = info.path.split('/').pop()!;
      const signed = (body: string) => ({ 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${hmac('sha256', body, secret)}` });

      expect(receivers.deliver('f'.repeat(64), signed(push), Buffer.from(push), 1)).toMatchObject({ status: 404, fetched: false });
      expect(receivers.deliver(id, { ...signed(push), 'x-hub-signature-256': 'sha256=00' }, Buffer.from(push), 2)).toMatchObject({ status: 401, fetched: false });
      const dev = JSON.stringify({ ref: 'refs/heads/dev' });
      expect(receivers.deliver(id, signed(dev), Buffer.from(dev), 3)).toMatchObject({ status: 200, fetched: false, message: expect.stringContaining('ignored') });
      expect(fetched).toEqual([]);
      expect(receivers.deliver(id, signed(push), Buffer.from(push), 4)).toMatchObject({ status: 202, fetched: true, forge: 'github' });
      expect(fetched).toEqual([4]);
    } finally {
      cleanup();
    }
  });
});
