/** `pacific version`: the client's version, then the daemon's (kubectl's `Client Version` / `Server Version`); exit 1 when the daemon cannot be reached. */
import { versionInfo, type VersionInfo } from '../base/version.js';
import { fetchJson, resolveConnection, type ConnectionOptions } from './client.js';
import { document } from './output.js';

export interface VersionOptions extends ConnectionOptions {
  readonly client?: boolean;
  readonly output?: 'text' | 'yaml' | 'json';
}

export async function versionCommand(options: VersionOptions, out: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const client = versionInfo();
  const line = (who: string, v: VersionInfo) => `${who} Version: ${v.pacific} (node ${v.node}, ${v.platform})\n`;
  if (options.client) {
    out(options.output === 'json' || options.output === 'yaml' ? document({ clientVersion: client }, options.output) : line('Client', client));
    return 0;
  }
  let server: VersionInfo | undefined;
  let failed: Error | undefined;
  try {
    server = await fetchJson<VersionInfo>(resolveConnection(options), 'GET', '/status/version');
  } catch (err) {
    failed = err as Error;
  }
  if (options.output === 'json' || options.output === 'yaml') out(document({ clientVersion: client, ...(server ? { serverVersion: server } : {}) }, options.output));
  else out(line('Client', client) + (server ? line('Server', server) : ''));
  if (failed) throw failed;
  return 0;
}
