/** `/status` served from a cached serialisation: byte for byte the document, rebuilt only when a pass saves new statuses. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StatusDocument, statusView, type StatusInput } from '../../daemon/server/views.js';
import { controllerHarness, type Harness } from '../support/controller.js';
import { namespaceYaml, vmYaml } from '../support/fixtures.js';

let h: Harness;
beforeEach(() => {
  h = controllerHarness();
});
afterEach(() => h.cleanup());

const input = (): StatusInput => ({ source: { repo: h.bare, branch: 'main' }, state: h.controller.state(), objects: h.controller.objectStatuses(), events: h.store.recentEvents(100) });

describe('StatusDocument', () => {
  it('renders exactly what JSON.stringify(statusView) gives, before and after passes', async () => {
    const doc = new StatusDocument();
    expect(doc.render(input()).toString('utf8')).toBe(JSON.stringify(statusView(input())));
    h.push({ 'ns.yaml': namespaceYaml('team-a'), 'vms/web-1.yaml': vmYaml('team-a', 'web-1', { labels: { note: 'ünïcödé' } }) });
    await h.controller.reconcile({ reason: 'startup' });
    expect(doc.render(input()).toString('utf8')).toBe(JSON.stringify(statusView(input())));
    h.push({ 'vms/web-2.yaml': vmYaml('team-a', 'web-2') });
    await h.controller.reconcile({ reason: 'watch' });
    const text = doc.render(input()).toString('utf8');
    expect(text).toBe(JSON.stringify(statusView(input())));
    expect((JSON.parse(text) as { objects: { name: string }[] }).objects.map((o) => o.name)).toContain('web-2');
  });

  it('relies on the controller keeping one statuses array until a pass changes them', async () => {
    h.push({ 'ns.yaml': namespaceYaml('team-a'), 'vms/web-1.yaml': vmYaml('team-a', 'web-1') });
    await h.controller.reconcile({ reason: 'startup' });
    const before = h.controller.objectStatuses();
    expect(h.controller.objectStatuses()).toBe(before);
    h.push({ 'vms/web-2.yaml': vmYaml('team-a', 'web-2') });
    await h.controller.reconcile({ reason: 'watch' });
    expect(h.controller.objectStatuses()).not.toBe(before);
    expect(h.controller.objectStatuses().map((s) => s.name)).toContain('web-2');
  });
});
