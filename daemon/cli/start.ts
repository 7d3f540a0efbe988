/**
 * `npm start`: the demo on the embedded default. Creates `.pacific/gitops.git` from the sample
 * repo when missing, serves it with state in `.pacific/state` on 127.0.0.1:8080, and says how to
 * clone, edit, push and watch. A second start resumes from the same state.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot, sampleRepoDir } from '../base/paths.js';
import { DEFAULT_PRUNE_LIMIT } from '../plan/prune-bound.js';
import { initRepository } from '../source/init-repo.js';
import { serve } from './serve.js';

export async function startCommand(options: { listen: string; apiListen: string }): Promise<void> {
  const home = join(packageRoot, '.pacific');
  const repo = join(home, 'gitops.git');
  const state = join(home, 'state');
  const created = !existsSync(repo);
  if (created) await initRepository(repo, sampleRepoDir, { branch: 'main', message: 'Initial manifests from the pacific sample repo' });
  const rel = relative(process.cwd(), repo) || repo;
  await serve({ repo, branch: 'main', state, listen: options.listen, apiListen: options.apiListen, resync: '60s', tenancy: 'namespaces', maxPrune: DEFAULT_PRUNE_LIMIT }, (daemon) => {
    const url = daemon.url;
    process.stderr.write(
      [
        '',
        `pacific is running on ${url}  (${created ? 'new demo repo from sample-repo' : 'resumed from .pacific/state'})`,
        `  GitOps repo : ${repo}`,
        `  state       : ${state}`,
        `  API token   : ${daemon.tokenPath ?? '$PACIFIC_TOKEN'}`,
        '',
        'Try it in another terminal:',
        `  git clone ${rel} /tmp/pacific-work && cd /tmp/pacific-work`,
        '  $EDITOR namespaces/team-a/storefront.yaml      # e.g. replicas: 5, or a new image',
        '  git commit -am "storefront: 5 replicas"',
        `  npx --prefix ${packageRoot} pacific diff . --server ${url}   # the commit's plan, before you push`,
        '  git push',
        `  export PACIFIC_TOKEN=$(cat ${relative(process.cwd(), join(state, 'token')) || join(state, 'token')})`,
        `  curl -s -H "Authorization: Bearer $PACIFIC_TOKEN" ${url}/status | jq '.lastAppliedRevision, .conditions'`,
        `  curl -s -H "Authorization: Bearer $PACIFIC_TOKEN" ${url}/inventory | jq '.virtualMachines'`,
        '',
        ...(daemon.api
          ? [
              `The Kubernetes API is on ${daemon.api.url}:`,
              `  npx --prefix ${packageRoot} pacific kubeconfig --state ${state} --server ${daemon.api.url} > /tmp/pacific.kubeconfig`,
              '  export KUBECONFIG=/tmp/pacific.kubeconfig',
              '  kubectl get vm,pods,svc -A        # kubectl get vm -w, describe, diff -f, apply --dry-run=server',
              '',
            ]
          : []),
        'Stop with Ctrl-C; `npm start` again resumes from the same state.',
        '',
      ].join('\n'),
    );
  });
}
