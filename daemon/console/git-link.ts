/**
 * Where a declaration can be read on the Git host: the source's remote as the host's web address,
 * then `/blob/<commit>/<file>#L<line>` (GitHub, Gitea and Forgejo answer it; GitLab redirects it to
 * its `/-/blob/`). A local path has no web page, and credentials in a URL never reach a link.
 */

function parsed(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** The web address of a remote (`https://`, `http://`, `ssh://` or scp-like `user@host:path`), or undefined for anything else. */
export function webAddress(remote: string): string | undefined {
  let host: string;
  let path: string;
  let scheme = 'https';
  const url = /^(https?|ssh|git\+ssh):\/\//i.test(remote) ? parsed(remote) : undefined;
  if (url) {
    host = url.hostname;
    path = url.pathname;
    // A web server on another port is the one the remote names; SSH's port says nothing of the web's.
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      scheme = url.protocol.slice(0, -1);
      if (url.port) host = `${host}:${url.port}`;
    }
  } else {
    // scp-like: [user@]host:path, where host has no slash (else it is a local path such as ./a:b).
    const scp = /^(?:[^@/\s]+@)?([A-Za-z0-9.-]+):(?!\/\/)([^\s]+)$/.exec(remote);
    if (!scp || scp[1]!.length < 2) return undefined; // `C:\repo` is a Windows path, not a host
    host = scp[1]!;
    path = `/${scp[2]!.replace(/^\/+/, '')}`;
  }
  path = path.replace(/\/+$/, '').replace(/\.git$/, '');
  if (!host || path === '' || path === '/') return undefined;
  return `${scheme}://${host}${path}`;
}

/** The link to `file` line `line` at `commit`, when the source's remote has a web address. */
export function gitLink(remote: string, commit: string | undefined, file: string, line: number): string | undefined {
  const base = webAddress(remote);
  if (!base || !commit) return undefined;
  return `${base}/blob/${commit}/${file.split('/').map(encodeURIComponent).join('/')}#L${line}`;
}
