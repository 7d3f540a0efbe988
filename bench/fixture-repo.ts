/**
 * The repos a scenario serves, built with the git CLI (isomorphic-git writes loose objects far too
 * slowly for 10k files): a generated work tree committed once, a bare clone packed like a pushed
 * repo for the daemon, and a working clone to push one-file changes from.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateRepo, namespaceName, vmName } from './generate-repo.js';
import { git } from './git-cli.js';
import { since } from './stats.js';

/** How many VMs in how many namespaces (one file per VM). */
export interface ScenarioSize {
  readonly vms: number;
  readonly namespaces: number;
}

/** The generated repos of one scenario and what building them cost (never part of a timed figure). */
export interface FixtureRepo {
  readonly size: ScenarioSize;
  readonly vmsPerNamespace: number;
  /** The bare repo the daemon serves. */
  readonly bareDir: string;
  /** A working clone of it, for pushes. */
  readonly cloneDir: string;
  readonly head: string;
  readonly timingsMs: { readonly writeFiles: number; readonly commit: number; readonly bareCloneAndGc: number; readonly workingClone: number };
}

/** A bare repo whose `main` has one empty commit: what the baseline daemon serves. */
export function createEmptyRepo(root: string): { bareDir: string; head: string } {
  const work = join(root, 'empty-work');
  const bareDir = join(root, 'empty.git');
  mkdirSync(work, { recursive: true });
  git(work, 'init', '-q', '-b', 'main');
  git(work, 'commit', '-q', '--allow-empty', '-m', 'empty');
  git(root, 'clone', '-q', '--bare', work, bareDir);
  return { bareDir, head: git(bareDir, 'rev-parse', 'main') };
}

/** Generates `size` into `root/work`, commits it, and makes the packed bare repo and a working clone. */
export function createFixtureRepo(root: string, size: ScenarioSize): FixtureRepo {
  if (size.vms % size.namespaces !== 0) throw new Error(`--vms ${size.vms} is not a multiple of --namespaces ${size.namespaces}`);
  const vmsPerNamespace = size.vms / size.namespaces;
  const work = join(root, 'work');
  const bareDir = join(root, 'gitops.git');
  const cloneDir = join(root, 'clone');
  mkdirSync(work, { recursive: true });

  let start = performance.now();
  generateRepo(work, { namespaces: size.namespaces, vmsPerNamespace, filePerVm: true });
  const writeFiles = since(start);

  start = performance.now();
  git(work, 'init', '-q', '-b', 'main');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', `bench: ${size.vms} VMs in ${size.namespaces} namespaces`);
  const commit = since(start);

  start = performance.now();
  git(root, 'clone', '-q', '--bare', work, bareDir);
  // Packed objects and refs, as a repo that has been pushed to and gc'd looks.
  git(bareDir, 'gc', '-q');
  const bareCloneAndGc = since(start);

  start = performance.now();
  git(root, 'clone', '-q', bareDir, cloneDir);
  const workingClone = since(start);

  return { size, vmsPerNamespace, bareDir, cloneDir, head: git(bareDir, 'rev-parse', 'main'), timingsMs: { writeFiles, commit, bareCloneAndGc, workingClone } };
}

/** The repo path of VM number `index` (as generateRepo numbers them). */
export function vmFile(repo: FixtureRepo, index: number): string {
  return join('namespaces', namespaceName(Math.floor(index / repo.vmsPerNamespace)), `${vmName(index)}.yaml`);
}

/**
 * Flips the power state of VM `index` in the working clone and commits it (one changed file);
 * returns the new commit id. Pushing is left to the caller, which times it.
 */
export function commitPowerFlip(repo: FixtureRepo, index: number): string {
  const path = join(repo.cloneDir, vmFile(repo, index));
  const text = readFileSync(path, 'utf8');
  const next = text.includes('powerState: PoweredOn') ? text.replace('powerState: PoweredOn', 'powerState: PoweredOff') : text.replace('powerState: PoweredOff', 'powerState: PoweredOn');
  if (next === text) throw new Error(`${path}: no powerState to flip`);
  writeFileSync(path, next);
  git(repo.cloneDir, 'commit', '-q', '-am', `bench: flip power of ${vmFile(repo, index)}`);
  return git(repo.cloneDir, 'rev-parse', 'HEAD');
}
