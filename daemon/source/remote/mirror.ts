/**
 * A bare mirror of one remote ref in the state dir, kept current by the git CLI (protocol v2,
 * SSH, thin packs: 10× faster than isomorphic-git's clone on the bench repo, see README). Only the
 * followed ref is fetched; what it resolved to is the mirror's local branch, which `GitSource`
 * reads with pacific's own pack reader.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FetchFault } from './faults.js';
import { fault, faultOf } from './faults.js';
import { highestTag, localBranch, parseLsRemote, type GitRef } from './git-ref.js';
import { runGit, type FetchLimits, type GitAccess, type GitRun } from './git-process.js';
import type { RemoteUrl } from './remote-url.js';

export interface MirrorOptions {
  readonly gitdir: string;
  readonly remote: RemoteUrl;
  readonly ref: GitRef;
  /** The environment for each git run (credentials are re-read from their files every fetch). */
  readonly access: () => GitAccess;
  readonly timeoutMs: number;
  readonly limits: FetchLimits;
}

/** What a fetch did: the commit the ref is at now and whether it moved, or why it failed. */
export type FetchOutcome =
  | { readonly ok: true; readonly commit: string; readonly moved: boolean; readonly ms: number; readonly resolved: string }
  | { readonly ok: false; readonly fault: FetchFault; readonly ms: number };

export class RemoteMirror {
  readonly gitdir: string;
  readonly branch: string;

  constructor(private readonly options: MirrorOptions) {
    this.gitdir = options.gitdir;
    this.branch = localBranch(options.ref);
  }

  /** Creates the bare repository when missing; clears what a killed fetch left (locks, temporary packs). */
  async open(): Promise<void> {
    if (!existsSync(join(this.gitdir, 'HEAD'))) {
      rmSync(this.gitdir, { recursive: true, force: true });
      // No template: no sample hooks, nothing but what git needs.
      const run = await this.git(['init', '--quiet', '--bare', '--template=', this.gitdir]);
      if (run.code !== 0) throw new Error(`cannot create the mirror ${this.gitdir}: ${run.stderr.trim()}`);
      return;
    }
    // The state dir is locked by this daemon: any lock or temporary pack in it is a killed fetch's.
    removeLeftovers(this.gitdir);
  }

  /** The commit the mirror's branch holds, or undefined before the first successful fetch. */
  async current(): Promise<string | undefined> {
    const run = await this.git(['--git-dir', this.gitdir, 'rev-parse', '--verify', '--quiet', `refs/heads/${this.branch}^{commit}`]);
    return run.code === 0 ? run.stdout.trim() : undefined;
  }

  /** Fetches the followed ref; never throws. */
  async fetch(): Promise<FetchOutcome> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      const before = await this.current();
      const { ref, remote } = this.options;
      let target: { refspec: string; resolved: string; local?: string };
      switch (ref.kind) {
        case 'branch':
          target = { refspec: `+refs/heads/${ref.name}:refs/heads/${ref.name}`, resolved: ref.name };
          break;
        case 'tag':
          target = { refspec: `+refs/tags/${ref.name}:refs/tags/${ref.name}`, resolved: ref.name, local: `refs/tags/${ref.name}` };
          break;
        case 'semver': {
          const listed = await this.git(['ls-remote', '--tags', '--refs', remote.url]);
          if (listed.code !== 0) return { ok: false, fault: faultOf(remote.url, listed, this.options.timeoutMs), ms: ms() };
          const tags = [...parseLsRemote(listed.stdout).keys()].map((name) => name.replace(/^refs\/tags\//, ''));
          const tag = highestTag(tags, ref.range);
          if (!tag) return { ok: false, fault: fault(remote.url, 'ref-not-found', `no tag satisfies semver range "${ref.range}" (${tags.length} tag(s))`), ms: ms() };
          target = { refspec: `+refs/tags/${tag}:refs/tags/${tag}`, resolved: tag, local: `refs/tags/${tag}` };
          break;
        }
        case 'commit':
          target = { refspec: ref.sha, resolved: ref.sha, local: ref.sha };
          break;
      }
      // unpackLimit=1: every fetch is indexed as a pack, so git counts what it receives (the limits read that) and the reader gets packs.
      const run = await this.git(['--git-dir', this.gitdir, '-c', 'fetch.unpackLimit=1', 'fetch', '--progress', '--no-tags', '--no-write-fetch-head', remote.url, target.refspec], this.options.limits);
      if (run.code !== 0) return { ok: false, fault: faultOf(remote.url, run, this.options.timeoutMs), ms: ms() };
      if (target.local) {
        const peeled = await this.git(['--git-dir', this.gitdir, 'rev-parse', '--verify', '--quiet', `${target.local}^{commit}`]);
        if (peeled.code !== 0) return { ok: false, fault: fault(remote.url, 'ref-not-found', `${target.resolved} is not a commit`), ms: ms() };
        const update = await this.git(['--git-dir', this.gitdir, 'update-ref', `refs/heads/${this.branch}`, peeled.stdout.trim()]);
        if (update.code !== 0) return { ok: false, fault: fault(remote.url, 'storage', update.stderr.trim()), ms: ms() };
      }
      const commit = await this.current();
      if (!commit) return { ok: false, fault: fault(remote.url, 'ref-not-found', `${target.resolved} did not resolve to a commit`), ms: ms() };
      return { ok: true, commit, moved: commit !== before, ms: ms(), resolved: target.resolved };
    } catch (error) {
      return { ok: false, fault: fault(this.options.remote.url, 'configuration', (error as Error).message), ms: ms() };
    }
  }

  private git(args: string[], limits?: FetchLimits): Promise<GitRun> {
    return runGit(args, { access: this.options.access(), timeoutMs: this.options.timeoutMs, ...(limits ? { limits } : {}) });
  }
}

function removeLeftovers(gitdir: string): void {
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (name.endsWith('.lock')) rmSync(path, { force: true });
    }
  };
  for (const top of ['refs']) if (existsSync(join(gitdir, top))) visit(join(gitdir, top));
  for (const name of ['packed-refs.lock', 'shallow.lock', 'config.lock', 'HEAD.lock']) rmSync(join(gitdir, name), { force: true });
  const packs = join(gitdir, 'objects', 'pack');
  if (existsSync(packs)) for (const name of readdirSync(packs)) if (name.startsWith('tmp_') || name.startsWith('.tmp-')) rmSync(join(packs, name), { force: true });
}
