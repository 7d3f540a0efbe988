/** pacific's version: the package's, as `pacific version` and `/status/version` report it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './paths.js';

export interface VersionInfo {
  readonly pacific: string;
  readonly node: string;
  readonly platform: string;
}

export function versionInfo(): VersionInfo {
  const { version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  return { pacific: version, node: process.version, platform: `${process.platform}/${process.arch}` };
}
