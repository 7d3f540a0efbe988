/** A request and a response as the routes see them: no sockets, no streams. */

export interface HttpRequest {
  readonly method: string;
  /** The URL's path, without the query. */
  readonly path: string;
  /** The URL's query (`?after=12&namespace=team-a`). */
  readonly query?: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The client's address: whose request rate a state-changing request counts against. */
  readonly client: string;
  /**
   * Reads the JSON body (undefined when empty). The routes call it only once the request is
   * admitted; it rejects with a `BodyError` when the body is too large or not JSON.
   */
  readonly body: () => Promise<unknown>;
  /** The body's bytes as sent (a webhook's signature covers them), bounded as `body`. */
  readonly rawBody: () => Promise<Buffer>;
}

export interface HttpResponse {
  readonly status: number;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string or a Buffer is sent as it is; anything else as JSON. */
  readonly body: unknown;
}

/** Why a request body was refused: 413 over the limit, 400 not JSON. */
export class BodyError extends Error {
  constructor(
    readonly status: 413 | 400,
    message: string,
  ) {
    super(message);
  }
}

/** A JSON response. */
export const json = (status: number, body: unknown, headers?: Record<string, string>): HttpResponse => ({ status, contentType: 'application/json', body, ...(headers ? { headers } : {}) });

/** A JSON `{error}` response. */
export const refusal = (status: number, message: string, headers?: Record<string, string>): HttpResponse => json(status, { error: message }, headers);
