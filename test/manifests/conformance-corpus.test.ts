/**
 * The whole concrete corpus (`../shared/conformance/samples`, every project, templated files
 * excluded) through the loader: nothing throws, every document of a kind pacific does not serve is
 * reported as "unsupported apiVersion/kind" with its file and line (a document that is not a
 * manifest at all, such as a JSON patch, as such), and the core kinds pacific
 * serves are accepted. Per-kind verdicts of served CRD kinds live in the kind's own conformance test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifestFile } from '../../daemon/manifests/load.js';
import { parseManifestFile } from '../../daemon/manifests/parse.js';
import { SchemaRegistry } from '../../daemon/manifests/schema-registry.js';
import { splitApiVersion } from '../../daemon/manifests/types.js';
import { conformanceDir, conformanceSamples, hasConformance } from '../support/conformance.js';

const schemas = SchemaRegistry.load();

describe.skipIf(!hasConformance)('conformance corpus, all projects', () => {
  const samples = conformanceSamples('');

  it('loads every concrete sample without throwing; unserved kinds are UnsupportedKind at their line', () => {
    let documents = 0;
    let unsupported = 0;
    let coreAccepted = 0;
    for (const sample of samples) {
      const bytes = readFileSync(join(conformanceDir, 'samples', sample));
      const result = loadManifestFile(sample, bytes, schemas);
      const parsed = parseManifestFile(sample, new TextDecoder().decode(bytes));
      for (const doc of parsed.documents) {
        documents++;
        const value = (doc.value ?? {}) as Record<string, unknown>;
        const { group, version } = splitApiVersion(String(value['apiVersion'] ?? ''));
        const kind = String(value['kind'] ?? '');
        const here = result.diagnostics.filter((d) => d.line >= doc.firstLine && d.line < (parsed.documents[doc.index + 1]?.firstLine ?? Infinity));
        if (!doc.value || typeof doc.value !== 'object' || Array.isArray(doc.value)) {
          expect(here.map((d) => d.code), `${sample}:${doc.line}`).toEqual(['NotAnObject']); // e.g. a JSON patch list
        } else if (!value['apiVersion'] || !kind) {
          expect(here.map((d) => d.code), `${sample}:${doc.line}`).toContain('MissingTypeMeta');
        } else if (!schemas.kind(group, version, kind)) {
          expect(here.map((d) => d.code), `${sample}:${doc.line}`).toEqual(['UnsupportedKind']);
          expect(here[0]!.message).toContain(`unsupported apiVersion/kind "${String(value['apiVersion'])}" "${kind}"`);
          unsupported++;
        } else if (group === '') {
          expect(here.filter((d) => d.severity === 'error'), `${sample}:${doc.line}`).toEqual([]);
          coreAccepted++;
        }
      }
    }
    console.log(`[pacific] corpus: ${samples.length} files, ${documents} documents, ${unsupported} unsupported, ${coreAccepted} core documents accepted`);
    expect(samples.length).toBeGreaterThan(300);
    expect(documents).toBeGreaterThan(400);
  });
});
