import { describe, expect, it } from 'vitest';
import { CommitToReady } from '../../daemon/controller/commit-to-ready.js';

describe('commit to Ready', () => {
  it('measures from the push to the first pass of that revision with every object Ready, once', () => {
    const t = new CommitToReady();
    expect(t.applied('a', { first: true, pushedAtMs: 1_000, allReady: false, nowMs: 1_100 })).toBeUndefined();
    expect(t.applied('a', { first: false, pushedAtMs: undefined, allReady: false, nowMs: 5_000 })).toBeUndefined();
    expect(t.applied('a', { first: false, pushedAtMs: undefined, allReady: true, nowMs: 31_000 })).toBe(30);
    expect(t.applied('a', { first: false, pushedAtMs: undefined, allReady: true, nowMs: 40_000 })).toBeUndefined();
  });

  it('starts at the pass without a push, and a newer revision replaces the one waiting', () => {
    const t = new CommitToReady();
    expect(t.applied('a', { first: true, pushedAtMs: undefined, allReady: false, nowMs: 2_000 })).toBeUndefined();
    expect(t.applied('b', { first: true, pushedAtMs: 3_000, allReady: false, nowMs: 3_500 })).toBeUndefined();
    expect(t.applied('a', { first: false, pushedAtMs: undefined, allReady: true, nowMs: 4_000 })).toBeUndefined();
    expect(t.applied('b', { first: false, pushedAtMs: undefined, allReady: true, nowMs: 5_000 })).toBe(2);
    expect(t.applied('c', { first: true, pushedAtMs: undefined, allReady: true, nowMs: 6_000 })).toBe(0);
  });
});
