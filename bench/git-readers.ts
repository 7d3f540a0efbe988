/**
 * Why pacific reads git objects itself: the same revision listed and every manifest blob read, by
 * pacific's object reader (`daemon/source/object-reader.ts`) and by isomorphic-git with a shared
 * cache (`readTree` per tree, `readBlob` 16 at a time, as the daemon read before), each on a fresh
 * reader so neither starts warm.
 */
import fs from 'node:fs';
import git from 'isomorphic-git';
import { parseTree } from '../daemon/source/git-tree.js';
import { ObjectReader } from '../daemon/source/object-reader.js';
import { TreeListing, type TreeReader } from '../daemon/source/tree-listing.js';
import { since } from './stats.js';

/** Listing and reading times of both readers. */
export interface GitReadersResult {
  readonly files: number;
  readonly direct: { readonly listMs: number; readonly readMs: number };
  readonly isomorphicGit: { readonly listMs: number; readonly readMs: number };
}

async function listAndRead(readTree: TreeReader, readBlobs: (oids: readonly string[]) => Promise<void>, rootTree: string): Promise<{ files: number; listMs: number; readMs: number }> {
  let start = performance.now();
  const { files } = await new TreeListing(readTree).list(rootTree);
  const listMs = since(start);
  start = performance.now();
  await readBlobs(files.map((f) => f.blobId));
  return { files: files.length, listMs, readMs: since(start) };
}

export async function measureGitReaders(gitdir: string, revision: string): Promise<GitReadersResult> {
  const { commit } = await git.readCommit({ fs, gitdir, oid: revision, cache: {} });
  const reader = new ObjectReader(gitdir);
  const direct = await listAndRead(
    async (oid) => parseTree(reader.read(oid)!.data),
    async (oids) => {
      for (const oid of oids) reader.read(oid);
    },
    commit.tree,
  );
  reader.reset();
  const cache = {};
  const isomorphicGit = await listAndRead(
    async (oid) => (await git.readTree({ fs, gitdir, oid, cache })).tree,
    async (oids) => {
      for (let i = 0; i < oids.length; i += 16) await Promise.all(oids.slice(i, i + 16).map((oid) => git.readBlob({ fs, gitdir, oid, cache })));
    },
    commit.tree,
  );
  return { files: direct.files, direct: { listMs: direct.listMs, readMs: direct.readMs }, isomorphicGit: { listMs: isomorphicGit.listMs, readMs: isomorphicGit.readMs } };
}
