/**
 * A JSON LIST is written from each object's kept UTF-8 bytes in pieces of about a mebibyte: the
 * pieces together are the list's JSON, multi-byte characters and all, whatever the piece size.
 */
import { describe, expect, it } from 'vitest';
import { JsonListBody } from '../../daemon/kube-api/status.js';

describe('a JSON list body', () => {
  const objects = Array.from({ length: 50 }, (_, i) => ({ metadata: { name: `vm-${i}`, annotations: { note: `größe ${i} — ✓` } } }));
  const body = new JsonListBody('{"kind":"VirtualMachineList","items":[', objects.map((o) => Buffer.from(JSON.stringify(o))), ']}');

  it('is the list, in pieces of about the size asked', () => {
    const pieces = [...body.pieces(1000)];
    expect(pieces.length).toBeGreaterThan(2);
    // Every piece but the last holds at least the size asked, and no more than one object beyond it.
    for (const p of pieces.slice(0, -1)) expect(p.length).toBeGreaterThanOrEqual(1000);
    expect(JSON.parse(Buffer.concat(pieces).toString('utf8'))).toEqual({ kind: 'VirtualMachineList', items: objects });
  });

  it('is the same list in one piece, and empty lists are lists', () => {
    expect(JSON.parse(body.toString())).toEqual({ kind: 'VirtualMachineList', items: objects });
    expect(new JsonListBody('{"items":[', [], ']}').toString()).toBe('{"items":[]}');
  });
});
