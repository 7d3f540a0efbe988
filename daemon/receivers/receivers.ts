/**
 * `POST /hooks/<id>`: one receiver per remote source. Its id is derived from its secret, the source's
 * URL and ref (as Flux derives `/hook/sha256(token+name+namespace)`), so it cannot be guessed and a
 * new secret makes a new address. The secret is the credentials entry's `webhookSecretFile`, else
 * one pacific generates once into `<state>/receivers/` (mode 0600). A verified push of the followed
 * ref fetches the source at once; nothing in the payload is trusted beyond "look now".
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GitRef } from '../source/remote/git-ref.js';
import { readDelivery, type Forge } from './schemes.js';

/** What a receiver needs of its source. */
export interface ReceiverTarget {
  /** The source's URL (never holds a secret). */
  readonly location: string;
  readonly ref: GitRef;
  /** The credentials entry's `webhookSecretFile`, when it has one. */
  readonly secretFile?: string;
  /** Fetches the source now; `receivedAtMs` is when the delivery arrived (webhook → applied latency). */
  fetchNow(receivedAtMs: number): void;
}

/** A receiver as `/status` lists it to the admin. */
export interface ReceiverInfo {
  readonly path: string;
  readonly source: string;
  readonly ref: string;
  /** Where the secret is (its value is never shown). */
  readonly secretFile: string;
}

/** What a delivery got: the HTTP status and a message for the sender, and whether a fetch was started. */
export interface DeliveryResult {
  readonly status: number;
  readonly message: string;
  readonly fetched: boolean;
  readonly forge?: Forge;
}

interface Receiver {
  readonly info: ReceiverInfo;
  readonly secret: string;
  readonly target: ReceiverTarget;
}

const refLabel = (ref: GitRef) => (ref.kind === 'branch' || ref.kind === 'tag' ? `${ref.kind} ${ref.name}` : ref.kind === 'semver' ? `semver ${ref.range}` : `commit ${ref.sha}`);

/** True when a push of `refs` (full names) may move what `ref` follows; a push that names no ref may. */
export function pushConcerns(ref: GitRef, refs: readonly string[] | undefined): boolean {
  if (!refs?.length) return ref.kind !== 'commit';
  switch (ref.kind) {
    case 'branch':
      return refs.includes(`refs/heads/${ref.name}`);
    case 'tag':
      return refs.includes(`refs/tags/${ref.name}`);
    case 'semver':
      return refs.some((r) => r.startsWith('refs/tags/'));
    case 'commit':
      return false;
  }
}

export class Receivers {
  readonly #byId = new Map<string, Receiver>();

  constructor(private readonly stateDir: string) {}

  /** Adds the receiver of a source; returns its path and whether its secret was generated just now. */
  add(target: ReceiverTarget): { info: ReceiverInfo; generated: boolean } {
    const key = createHash('sha256').update(`${target.location}\n${JSON.stringify(target.ref)}`).digest('hex');
    let secretFile = target.secretFile;
    let generated = false;
    if (!secretFile) {
      const dir = join(this.stateDir, 'receivers');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      secretFile = join(dir, `${key.slice(0, 16)}.secret`);
      if (!existsSync(secretFile)) {
        writeFileSync(secretFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
        generated = true;
      }
    }
    const secret = readFileSync(secretFile, 'utf8').replace(/\r?\n$/, '');
    if (secret.length < 16) throw new Error(`the webhook secret in ${secretFile} is shorter than 16 characters`);
    const id = createHash('sha256').update(`${secret}\n${target.location}\n${JSON.stringify(target.ref)}`).digest('hex');
    const info: ReceiverInfo = { path: `/hooks/${id}`, source: target.location, ref: refLabel(target.ref), secretFile };
    this.#byId.set(id, { info, secret, target });
    return { info, generated };
  }

  list(): ReceiverInfo[] {
    return [...this.#byId.values()].map((r) => r.info);
  }

  /** Answers one delivery; only a verified push of a followed ref starts a fetch. */
  deliver(id: string, headers: Readonly<Record<string, string | string[] | undefined>>, body: Buffer, receivedAtMs: number): DeliveryResult {
    const receiver = this.#byId.get(id);
    if (!receiver) return { status: 404, message: 'no receiver has this id', fetched: false };
    const delivery = readDelivery(headers, body, receiver.secret);
    if ('status' in delivery) return { ...delivery, fetched: false };
    const { forge } = delivery;
    if (delivery.kind === 'ping') return { status: 200, message: 'pong', fetched: false, forge };
    if (delivery.kind === 'other') return { status: 400, message: `event "${delivery.event}" is not handled: send push events`, fetched: false, forge };
    if (!pushConcerns(receiver.target.ref, delivery.refs)) return { status: 200, message: `ignored: the push moved ${delivery.refs!.join(', ')}, not ${receiver.info.ref}`, fetched: false, forge };
    receiver.target.fetchNow(receivedAtMs);
    return { status: 202, message: `fetching ${receiver.info.source} (${receiver.info.ref})`, fetched: true, forge };
  }
}
