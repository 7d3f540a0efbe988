/**
 * The console's built files (`npm run build` puts them in dist/console), served with the headers
 * that keep a page from doing more than it should: a Content-Security-Policy allowing only this
 * origin's scripts, styles and connections (no inline script, no eval, no CDN), no framing, no
 * sniffing, no referrer. The hashed assets are immutable; the page itself is never cached.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { packageRoot } from '../base/paths.js';

export const CONSOLE_DIR = join(packageRoot, 'dist', 'console');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface Asset {
  readonly body: Buffer;
  readonly contentType: string;
  readonly cacheControl: string;
}

/** Every built file by URL path under /console/, read once (a few hundred KiB). */
export class Assets {
  private files: Map<string, Asset> | undefined;
  private preload: string | undefined;

  constructor(private readonly dir = CONSOLE_DIR) {}

  get built(): boolean {
    return existsSync(join(this.dir, 'index.html'));
  }

  private load(): Map<string, Asset> {
    const files = new Map<string, Asset>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else {
          const url = `/console/${relative(this.dir, path).split('\\').join('/')}`;
          const hashed = url.startsWith('/console/assets/');
          files.set(url, { body: readFileSync(path), contentType: TYPES[extname(name)] ?? 'application/octet-stream', cacheControl: hashed ? 'public, max-age=31536000, immutable' : 'no-store' });
        }
      }
    };
    walk(this.dir);
    return files;
  }

  /**
   * The `Link` header of the Overview's page: its stylesheet and script, then the Overview's data,
   * all asked for as the page arrives rather than after its script has run. In this order because
   * the daemon answers one at a time: the files take a millisecond, the data the longest, and the
   * browser parses the script while the data is made. A 401 for the data means sign in.
   */
  overviewPreload(): string {
    const page = this.get('/console/index.html')?.body.toString('utf8') ?? '';
    this.preload ??= [
      ...[...page.matchAll(/<link rel="stylesheet" crossorigin href="([^"]+)"/g)].map((m) => `<${m[1]}>; rel=preload; as=style; crossorigin`),
      ...[...page.matchAll(/<script type="module" crossorigin src="([^"]+)"/g)].map((m) => `<${m[1]}>; rel=modulepreload`),
      '</console/api/overview>; rel=preload; as=fetch; crossorigin',
    ].join(', ');
    return this.preload;
  }

  /** The file at a URL path; the page itself for any other path of the console (its routes are the browser's). */
  get(path: string): Asset | undefined {
    if (!this.built) return undefined;
    this.files ??= this.load();
    const file = this.files.get(path);
    if (file) return file;
    if (path.startsWith('/console/assets/')) return undefined;
    return this.files.get('/console/index.html');
  }
}
