/**
 * Every commit between the last applied revision and the new head, checked for the paths it
 * touches (Argo CD's strict mode, not only the head as Flux does): a commit touching a path under a
 * rule must carry a valid SSH or OpenPGP signature by one of that rule's signers. The first revision ever
 * applied is checked as a whole: its head commit vouches for every file. History is read with the
 * git CLI (no network), signatures are verified in-process.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { verifyOpenPgpSignature } from './openpgp-signature.js';
import { openPgpSignersOf, ruleFor, signersOf, type VerifyRules } from './rules.js';
import { splitSignedCommit, verifySshSignature } from './ssh-signature.js';

const run = promisify(execFile);

/** The verdict on a range of commits. */
export type Verification = { readonly ok: true; readonly commits: number } | { readonly ok: false; readonly commit: string; readonly path: string; readonly why: string };

const GIT_ENV = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C' };

export class CommitVerifier {
  constructor(
    private readonly gitdir: string,
    readonly rules: VerifyRules,
  ) {}

  private async git(...args: string[]): Promise<string> {
    const { stdout } = await run('git', ['--git-dir', this.gitdir, ...args], { env: GIT_ENV, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  }

  /** The commits of `from..to` (all of them, newest first) with the paths each touches against its first parent. */
  private async commits(from: string | undefined, to: string): Promise<{ commit: string; paths: string[] }[]> {
    const known = from && (await this.git('cat-file', '-e', `${from}^{commit}`).then(() => true, () => false));
    if (!known) {
      const paths = (await this.git('ls-tree', '-r', '-z', '--name-only', to)).split('\0').filter(Boolean);
      return [{ commit: to, paths }];
    }
    const out = await this.git('log', '-z', '--format=%x01%H', '--name-only', '--no-renames', '--diff-merges=first-parent', `${from}..${to}`);
    return out
      .split('\x01')
      .filter(Boolean)
      .map((chunk) => {
        const [commit, ...paths] = chunk.split(/[\0\n]/).filter(Boolean);
        return { commit: commit!, paths };
      });
  }

  /** Checks every commit in `from..to` (or `to` as a whole when `from` is unknown). */
  async verify(from: string | undefined, to: string): Promise<Verification> {
    const commits = await this.commits(from, to);
    // Oldest first: the first offending commit is named.
    for (const { commit, paths } of commits.reverse()) {
      const ruled = paths.map((path) => ({ path, rule: ruleFor(this.rules, path) })).filter((p) => p.rule);
      if (!ruled.length) continue;
      const { signature, payload } = splitSignedCommit(await this.git('cat-file', 'commit', commit));
      let signedBy: string[] = [];
      let why: string | undefined;
      if (!signature) why = 'the commit is not signed';
      else if (signature.includes('-----BEGIN PGP SIGNATURE-----')) {
        const verdict = await verifyOpenPgpSignature(signature, payload, this.rules.signers.flatMap((s) => s.openpgp));
        if (!verdict.ok) why = verdict.why;
        else signedBy = openPgpSignersOf(this.rules, verdict.fingerprint);
      } else {
        const verdict = verifySshSignature(signature, payload);
        if (!verdict.ok) why = verdict.why;
        else {
          signedBy = signersOf(this.rules, verdict.keyBlob);
          if (!signedBy.length) why = `signed by an unknown key (SHA256:${createHash('sha256').update(verdict.keyBlob).digest('base64').replace(/=+$/, '')})`;
        }
      }
      for (const { path, rule } of ruled) {
        if (signedBy.some((s) => rule!.signers.includes(s))) continue;
        const needs = `needs a signature by ${rule!.signers.join(' or ')} (rule ${rule!.path})`;
        return { ok: false, commit, path, why: `${needs}: ${why ?? `signed by ${signedBy.join(', ')}`}` };
      }
    }
    return { ok: true, commits: commits.length };
  }
}
