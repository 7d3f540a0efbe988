/** `pacific serve --notify <url>… --notify-secret-file <file> --notify-queue <n>`: the receivers, their key and queue bound. */
import { readFileSync } from 'node:fs';
import type { NotifyOptions } from '../notify/notifier.js';
import { UsageError } from './load.js';

export interface NotifyCliOptions {
  notify?: readonly string[];
  notifySecretFile?: string;
  notifyQueue?: string;
}

/** The shortest key accepted, as for webhook secrets. */
const MIN_SECRET = 16;

function receiverUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--notify ${text}: not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--notify ${text}: expected an http:// or https:// URL`);
  // Logs name receivers, and fetch refuses credentials in a URL: a token goes in the path or query.
  if (url.username || url.password) throw new UsageError(`--notify: a receiver URL must not hold credentials (user:password@)`);
  return url;
}

/** The key from the file, else `$PACIFIC_NOTIFY_SECRET`: never from the repository, never logged. */
function secretOf(options: NotifyCliOptions, env: NodeJS.ProcessEnv): string {
  let secret: string | undefined;
  if (options.notifySecretFile) {
    try {
      secret = readFileSync(options.notifySecretFile, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new UsageError(`--notify-secret-file: ${(err as Error).message}`);
    }
  } else secret = env['PACIFIC_NOTIFY_SECRET'];
  if (!secret) throw new UsageError('--notify needs a key to sign with: --notify-secret-file <file> or $PACIFIC_NOTIFY_SECRET');
  if (secret.length < MIN_SECRET) throw new UsageError(`the notification key is shorter than ${MIN_SECRET} characters`);
  return secret;
}

/** The notify options of the daemon, or undefined without `--notify`. */
export function notifyOptions(options: NotifyCliOptions, env: NodeJS.ProcessEnv = process.env): NotifyOptions | undefined {
  const urls = (options.notify ?? []).map(receiverUrl);
  if (!urls.length) {
    if (options.notifySecretFile) throw new UsageError('--notify-secret-file without --notify');
    return undefined;
  }
  const queueLimit = Number(options.notifyQueue ?? 1000);
  if (!Number.isInteger(queueLimit) || queueLimit < 1) throw new UsageError(`--notify-queue ${options.notifyQueue}: expected a positive whole number`);
  return { urls, secret: secretOf(options, env), delivery: { queueLimit } };
}
