/** Git object ids computed without a repository. */
import { createHash } from 'node:crypto';

/** The Git blob id of `bytes` (`sha1("blob <len>\0" + bytes)`), as `git hash-object` prints it. */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}
