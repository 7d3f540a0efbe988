// `npm run lint`. The folder rules (LAYERS) are written here and only here; ARCHITECTURE.md explains them.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * What each folder of daemon/ may import besides itself and base/, following the one line:
 * commit → files → documents → validated objects → desired state → plan → apply → inventory →
 * status/API. '*' marks a composition root, which may import anything. A folder missing here, or
 * a cycle in this table, fails the lint; together with import-x/no-cycle (files) that keeps the
 * tree free of import cycles.
 */
const LAYERS = {
  base: [],
  catalog: [],
  'inventory/model': [],
  capacity: ['inventory/model'],
  source: [],
  'source/remote': ['source'],
  'source/verify': [],
  'manifests/definitions/dsl': [],
  'manifests/definitions/core-workloads': ['manifests/definitions/dsl'],
  'manifests/definitions/vmoperator': ['manifests/definitions/dsl'],
  'manifests/definitions/clusterapi': ['manifests/definitions/dsl'],
  'manifests/definitions': ['manifests/definitions/dsl', 'manifests/definitions/core-workloads', 'manifests/definitions/vmoperator', 'manifests/definitions/clusterapi'],
  manifests: ['manifests/definitions', 'manifests/definitions/dsl', 'catalog'],
  inventory: ['inventory/model', 'capacity', 'catalog', 'manifests', 'manifests/definitions/dsl'],
  plan: ['inventory', 'inventory/model', 'capacity', 'catalog', 'manifests'],
  'reconcilers/shared': ['plan', 'inventory', 'inventory/model', 'capacity', 'catalog', 'manifests'],
  'reconcilers/supervisor': ['reconcilers/shared', 'plan', 'inventory', 'inventory/model', 'capacity', 'catalog', 'manifests'],
  'reconcilers/vmoperator': ['reconcilers/supervisor', 'reconcilers/shared', 'plan', 'inventory', 'inventory/model', 'capacity', 'catalog', 'manifests'],
  'reconcilers/clusterapi': ['reconcilers/vmoperator', 'reconcilers/supervisor', 'reconcilers/shared', 'plan', 'inventory', 'inventory/model', 'capacity', 'catalog', 'manifests'],
  reconcilers: ['reconcilers/clusterapi', 'reconcilers/vmoperator', 'reconcilers/supervisor', 'reconcilers/shared', 'plan'],
  store: ['plan', 'inventory', 'inventory/model', 'manifests'],
  'store/etcd': ['store', 'plan', 'inventory', 'inventory/model', 'manifests'],
  ha: ['store', 'store/etcd', 'inventory', 'inventory/model'],
  apply: ['reconcilers', 'plan', 'store', 'inventory', 'inventory/model', 'manifests'],
  simulator: ['store', 'inventory', 'inventory/model'],
  controller: ['source', 'source/verify', 'manifests', 'plan', 'reconcilers', 'apply', 'store', 'inventory', 'inventory/model', 'capacity'],
  access: ['inventory', 'inventory/model'],
  receivers: ['source/remote'],
  notify: [],
  server: ['access', 'controller', 'ha', 'simulator', 'store', 'plan', 'inventory', 'inventory/model', 'capacity', 'manifests'],
  'kube-api': ['server', 'access', 'store', 'reconcilers', 'reconcilers/vmoperator', 'plan', 'inventory', 'inventory/model', 'capacity', 'catalog', 'manifests', 'source'],
  console: ['kube-api', 'server', 'access', 'controller', 'inventory', 'inventory/model', 'capacity'],
  cli: ['*'],
  '': ['*'],
};

function folders(dir, prefix = '') {
  return [prefix, ...readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).flatMap((d) => folders(join(dir, d.name), prefix ? `${prefix}/${d.name}` : d.name))];
}

const missing = folders('daemon').filter((f) => !(f in LAYERS));
if (missing.length) throw new Error(`eslint.config.js: add ${missing.map((f) => `daemon/${f}`).join(', ')} to LAYERS`);

// The table itself must be acyclic: a folder cycle would be allowed one edge at a time.
const visiting = new Set();
const done = new Set();
function visit(folder, path) {
  if (done.has(folder) || LAYERS[folder].includes('*')) return;
  if (visiting.has(folder)) throw new Error(`eslint.config.js: LAYERS has a cycle: ${[...path, folder].join(' → ')}`);
  visiting.add(folder);
  for (const next of LAYERS[folder]) {
    if (!(next in LAYERS)) throw new Error(`eslint.config.js: LAYERS.${folder} names unknown folder ${next}`);
    visit(next, [...path, folder]);
  }
  visiting.delete(folder);
  done.add(folder);
}
for (const folder of Object.keys(LAYERS)) visit(folder, []);

const filesOf = (folder) => (folder ? `./daemon/${folder}/*.ts` : './daemon/*.ts');
const zones = Object.entries(LAYERS)
  .filter(([, allowed]) => !allowed.includes('*'))
  .map(([folder, allowed]) => ({
    target: filesOf(folder),
    from: Object.keys(LAYERS)
      .filter((other) => other !== folder && other !== 'base' && !allowed.includes(other))
      .map(filesOf),
    message: `daemon/${folder || '.'} may import only ${[...allowed, 'base'].join(', ')} (LAYERS in eslint.config.js)`,
  }));

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.pacific/', 'schemas/', 'sample-repo/', 'bench/results/'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })] },
    rules: {
      'import-x/no-duplicates': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['daemon/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      'max-lines': ['error', { max: 300, skipBlankLines: false, skipComments: false }],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones }],
      // Type-aware where it pays: a promise nobody awaits is a crash or a lost write.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
);
