/**
 * The few fields of Kubernetes' protobuf encoding the API reads: kubectl sends
 * SelfSubjectAccessReview and SelfSubjectRulesReview as `application/vnd.kubernetes.protobuf`
 * (the `k8s\0` magic, then a runtime.Unknown whose `raw` holds the object). Wire format only:
 * varints and length-delimited fields; anything else is skipped.
 */

type Fields = Map<number, Buffer[]>;

function varint(buf: Buffer, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at >= buf.length) throw new Error('truncated protobuf varint');
    const byte = buf[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return [value, at];
    shift += 7;
  }
}

/** The length-delimited fields of a message by field number (other wire types are skipped). */
function fields(buf: Buffer): Fields {
  const out: Fields = new Map();
  let at = 0;
  while (at < buf.length) {
    const [key, next] = varint(buf, at);
    at = next;
    const [field, wire] = [Math.floor(key / 8), key & 7];
    if (wire === 0) at = varint(buf, at)[1];
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const [length, start] = varint(buf, at);
      const list = out.get(field) ?? [];
      list.push(buf.subarray(start, start + length));
      out.set(field, list);
      at = start + length;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return out;
}

const str = (f: Fields, n: number) => f.get(n)?.[0]?.toString('utf8') ?? '';
const msg = (f: Fields, n: number) => fields(f.get(n)?.[0] ?? Buffer.alloc(0));

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Whether a body is Kubernetes protobuf (starts with the magic). */
export function isKubeProtobuf(body: Buffer): boolean {
  return body.subarray(0, 4).equals(MAGIC);
}

/** The object inside the envelope: its kind and its fields. */
function unwrap(body: Buffer): { kind: string; object: Fields } {
  const unknown = fields(body.subarray(4));
  return { kind: str(msg(unknown, 1), 2), object: fields(unknown.get(2)?.[0] ?? Buffer.alloc(0)) };
}

export interface AccessReviewSpec {
  readonly resourceAttributes?: { namespace: string; verb: string; group: string; version: string; resource: string; subresource: string; name: string };
  readonly nonResourceAttributes?: { path: string; verb: string };
}

/** A SelfSubjectAccessReview's spec (field 2: resourceAttributes 1, nonResourceAttributes 2). */
export function decodeAccessReview(body: Buffer): AccessReviewSpec {
  const spec = msg(unwrap(body).object, 2);
  const resource = spec.get(1) ? fields(spec.get(1)![0]!) : undefined;
  const nonResource = spec.get(2) ? fields(spec.get(2)![0]!) : undefined;
  return {
    ...(resource ? { resourceAttributes: { namespace: str(resource, 1), verb: str(resource, 2), group: str(resource, 3), version: str(resource, 4), resource: str(resource, 5), subresource: str(resource, 6), name: str(resource, 7) } } : {}),
    ...(nonResource ? { nonResourceAttributes: { path: str(nonResource, 1), verb: str(nonResource, 2) } } : {}),
  };
}

/** A SelfSubjectRulesReview's namespace (spec field 2, namespace field 1). */
export function decodeRulesReview(body: Buffer): { namespace: string } {
  return { namespace: str(msg(unwrap(body).object, 2), 1) };
}
