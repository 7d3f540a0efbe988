/** Binding a listener: a port in use is one line naming the address and the flag, not a stack. */
import type { Server } from 'node:net';

/** A listener that could not bind: one line saying where and why, no stack. */
export class ListenError extends Error {}

/** Listens on `host:port`; a port in use or an address not on this machine is a `ListenError` naming it and the flag. */
export function listenOn(server: Server, host: string, port: number, flag: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      const why =
        err.code === 'EADDRINUSE'
          ? 'the address is in use (another pacific, or another server)'
          : err.code === 'EADDRNOTAVAIL'
            ? 'the address is not one of this machine'
            : err.code === 'EACCES'
              ? 'permission denied (ports below 1024 need privileges)'
              : err.message;
      reject(new ListenError(`cannot listen on ${where} (${flag}): ${why}`));
    });
    server.listen(port, host, () => resolve());
  });
}
