/** What `main.ts` needs before it runs a command (error types, flag defaults), in a module of its own: it loads no command's code until one runs. */

/** Usage errors (bad paths, unknown refs) exit 2 in the commands that plan and validate. */
export class UsageError extends Error {}

/** Where the Kubernetes API listens by default (the Supervisor's API server port, loopback only). */
export const DEFAULT_API_LISTEN = '127.0.0.1:6443';

/** An error of an operating command (`get`, `status`, …): its message is printed as is, and the process exits with `code` (kubectl's 1). */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}
