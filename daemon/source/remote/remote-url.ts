/**
 * Remote repository addresses as git takes them: `https://`, `http://`, `ssh://` and the scp-like
 * `user@host:path`. A URL never carries a password or token: those come from the credentials file.
 */

export type Transport = 'https' | 'http' | 'ssh';

/** A remote repository's address, checked. */
export interface RemoteUrl {
  readonly transport: Transport;
  /** What git is given (unchanged: user names belong to SSH addresses). */
  readonly url: string;
  readonly host: string;
  /** Where the repository is on the host (used only in messages and the mirror's name). */
  readonly path: string;
}

// git's rule: a colon before any slash is the scp-like syntax (`[user@]host:path`).
const SCP_LIKE = /^(?:([^@/:\s]+)@)?([^@/:\s[\]]+|\[[^\]]+\]):(?!\/\/)(.+)$/;

/** True when `repo` names a remote repository rather than a path on this machine. */
export function isRemoteRepo(repo: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo)) return true;
  // `./a:b` and `/x:y` are paths; a colon before any slash is scp-like, as git reads it.
  const colon = repo.indexOf(':');
  const slash = repo.indexOf('/');
  return colon > 0 && (slash < 0 || colon < slash) && SCP_LIKE.test(repo);
}

/** Parses a remote address; throws an Error naming what is wrong (never echoing a secret in it). */
export function parseRemoteUrl(text: string): RemoteUrl {
  const repo = text.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(repo)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    const m = SCP_LIKE.exec(repo);
    if (!m) throw new Error(`"${repo}" is not a remote repository address (https://host/path, ssh://user@host/path or user@host:path)`);
    return { transport: 'ssh', url: repo, host: m[2]!, path: m[3]! };
  }
  if (scheme !== 'https' && scheme !== 'http' && scheme !== 'ssh') {
    throw new Error(`remote repository scheme "${scheme}://" is not supported (https://, http://, ssh:// or user@host:path)`);
  }
  let url: URL;
  try {
    url = new URL(repo);
  } catch {
    throw new Error(`"${scheme}://…" is not a valid URL`);
  }
  if (url.password || (scheme !== 'ssh' && url.username)) {
    throw new Error(`the repository URL for ${url.host} carries credentials; put them in the --credentials file instead (URLs reach logs and status)`);
  }
  if (!url.hostname) throw new Error(`"${repo}" has no host`);
  if (url.search || url.hash) throw new Error(`the repository URL for ${url.host} has a query or fragment, which git would not send`);
  return { transport: scheme, url: repo, host: url.host, path: decodeURIComponent(url.pathname) };
}

/** A file-system-safe name for a remote's mirror: readable host and path, plus a hash of the exact URL and ref. */
export function mirrorName(remote: RemoteUrl, hash: string): string {
  const readable = `${remote.host}${remote.path}`.replace(/\.git$/, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 60);
  return `${readable || 'repo'}-${hash.slice(0, 12)}.git`;
}
