import { describe, expect, it } from 'vitest';
import { gitLink, webAddress } from '../../daemon/console/git-link.js';

describe("the Object page's link to the Git host", () => {
  it('reads the web address of https, ssh and scp-like remotes, without credentials or the SSH port', () => {
    expect(webAddress('https://github.com/acme/platform.git')).toBe('https://github.com/acme/platform');
    expect(webAddress('https://deploy:s3cret@git.example.com:8443/acme/platform.git/')).toBe('https://git.example.com:8443/acme/platform');
    expect(webAddress('http://gitea.lan:3000/acme/platform')).toBe('http://gitea.lan:3000/acme/platform');
    expect(webAddress('git@github.com:acme/platform.git')).toBe('https://github.com/acme/platform');
    expect(webAddress('gitlab.example.com:group/sub/platform.git')).toBe('https://gitlab.example.com/group/sub/platform');
    expect(webAddress('ssh://git@git.example.com:2222/acme/platform.git')).toBe('https://git.example.com/acme/platform');
  });

  it('gives no link for a local path, a file URL or a host without a repository', () => {
    for (const local of ['/srv/git/platform.git', './platform', '../a:b', 'platform', 'file:///srv/git/platform.git', 'C:\\repos\\platform', 'https://github.com/', '']) expect(webAddress(local), local).toBeUndefined();
    expect(gitLink('/srv/git/platform.git', 'abc123', 'namespaces/team-a/vms.yaml', 3)).toBeUndefined();
  });

  it('links file and line at the commit, each path segment escaped', () => {
    expect(gitLink('git@github.com:acme/platform.git', 'c0ffee', 'namespaces/team a/vms#1.yaml', 12)).toBe('https://github.com/acme/platform/blob/c0ffee/namespaces/team%20a/vms%231.yaml#L12');
    expect(gitLink('https://github.com/acme/platform', undefined, 'a.yaml', 1)).toBeUndefined();
  });
});
