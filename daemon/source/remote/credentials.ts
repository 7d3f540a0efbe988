/**
 * `--credentials <file>`: how pacific authenticates to Git hosts. Never from Git, never in logs,
 * status, metrics or errors: the file names other files holding the secrets, is refused unless only
 * its owner may read it (0600 or 0400), and entries are matched by name or by URL prefix.
 *
 * ```yaml
 * credentials:
 *   - url: https://git.example.com/platform/     # or name: platform (a GitSource's spec.credentials)
 *     username: pacific
 *     passwordFile: ./git-password                 # or bearerTokenFile, or identityFile + knownHostsFile
 *     caFile: ./ca.pem                             # optional: the host's CA instead of the system roots
 *     webhookSecretFile: ./hook-secret             # optional: the receiver's secret
 * ```
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import yaml from 'js-yaml';
import type { RemoteUrl } from './remote-url.js';

/** One entry, its file paths absolute. */
export interface CredentialEntry {
  /** Where it sits in the file: `credentials[2]`, and its name when it has one. */
  readonly label: string;
  readonly name?: string;
  readonly url?: string;
  readonly username?: string;
  readonly passwordFile?: string;
  readonly bearerTokenFile?: string;
  readonly identityFile?: string;
  readonly knownHostsFile?: string;
  readonly caFile?: string;
  readonly webhookSecretFile?: string;
}

const FIELDS = ['name', 'url', 'username', 'passwordFile', 'bearerTokenFile', 'identityFile', 'knownHostsFile', 'caFile', 'webhookSecretFile'] as const;
const FILE_FIELDS = new Set(['passwordFile', 'bearerTokenFile', 'identityFile', 'knownHostsFile', 'caFile', 'webhookSecretFile']);

/** Reads and checks a credentials file; throws an Error naming the file and field (never a secret). */
export function loadCredentials(file: string): CredentialEntry[] {
  const path = resolve(file);
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    throw new Error(`credentials file ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if ((mode & 0o077) !== 0) {
    throw new Error(`credentials file ${path} has mode ${(mode & 0o777).toString(8).padStart(4, '0')}: it must be readable by its owner only (chmod 600)`);
  }
  let doc: unknown;
  try {
    doc = yaml.load(readFileSync(path, 'utf8'));
  } catch (error) {
    // js-yaml quotes the offending line, which may hold a secret someone pasted: keep only the position.
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    throw new Error(`credentials file ${path}${mark ? `:${mark.line + 1}:${mark.column + 1}` : ''}: not valid YAML`);
  }
  const list = (doc as { credentials?: unknown } | null)?.credentials;
  if (!Array.isArray(list)) throw new Error(`credentials file ${path}: expected a top-level "credentials:" list`);
  const names = new Set<string>();
  return list.map((raw: unknown, i) => {
    const at = `${path}: credentials[${i}]`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${at}: expected a mapping`);
    const entry: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      if (!(FIELDS as readonly string[]).includes(key)) throw new Error(`${at}.${key}: unknown field (known: ${FIELDS.join(', ')}; secrets go in files: passwordFile, bearerTokenFile)`);
      if (typeof value !== 'string' || !value) throw new Error(`${at}.${key}: expected a non-empty string`);
      entry[key] = FILE_FIELDS.has(key) && !isAbsolute(value) ? resolve(dirname(path), value) : value;
    }
    if (!entry['name'] && !entry['url']) throw new Error(`${at}: needs a name or a url prefix to be matched by`);
    if (entry['name']) {
      if (names.has(entry['name'])) throw new Error(`${at}.name: "${entry['name']}" is used twice`);
      names.add(entry['name']);
    }
    const methods = [entry['passwordFile'] && 'passwordFile', entry['bearerTokenFile'] && 'bearerTokenFile', entry['identityFile'] && 'identityFile'].filter(Boolean);
    if (methods.length > 1) throw new Error(`${at}: ${methods.join(' and ')} exclude each other`);
    if (entry['passwordFile'] && !entry['username']) throw new Error(`${at}.username: required with passwordFile`);
    if (entry['identityFile'] && !entry['knownHostsFile']) throw new Error(`${at}.knownHostsFile: required with identityFile (host keys are always checked)`);
    const label = entry['name'] ? `credentials[${i}] (${entry['name']})` : `credentials[${i}]`;
    return { label, ...entry } as CredentialEntry;
  });
}

/** `git@host:path` as `ssh://git@host/path`, so prefixes match whichever way the URL is written. */
function comparable(url: string): string {
  const scp = /^(?:([^@/:\s]+)@)?([^@/:\s]+):(?!\/\/)(.*)$/.exec(url);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return `ssh://${scp[1] ? `${scp[1]}@` : ''}${scp[2]}/${scp[3]!.replace(/^\//, '')}`;
  return url;
}

/** The entry for a source: by name when asked, else the longest URL prefix; undefined when none matches. */
export function matchCredentials(entries: readonly CredentialEntry[], remote: RemoteUrl, name?: string): CredentialEntry | undefined {
  if (name !== undefined) {
    const named = entries.find((e) => e.name === name);
    if (!named) throw new Error(`no credentials entry is named "${name}"`);
    return named;
  }
  const target = comparable(remote.url);
  let best: CredentialEntry | undefined;
  for (const entry of entries) {
    if (entry.url && target.startsWith(comparable(entry.url)) && (!best || comparable(entry.url).length > comparable(best.url!).length)) best = entry;
  }
  return best;
}

/** A secret file's content without its trailing newline; the error names the entry and field, not the content. */
export function readSecret(entry: CredentialEntry, field: 'passwordFile' | 'bearerTokenFile' | 'webhookSecretFile'): string {
  const file = entry[field]!;
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new Error(`${entry.label}.${field}: ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
