#!/usr/bin/env node
/** The `pacific` command line. */
// Only what the flags' definitions need is loaded here; each command's code is imported when it runs.
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { LIMIT_OPTIONS } from '../base/input-limits.js';
import { DEFAULT_PRUNE_LIMIT } from '../plan/prune-bound.js';
import { StoreError } from '../store/ports.js';
import { versionInfo } from '../base/version.js';
import { parseDuration } from '../base/duration.js';
import { SHELLS } from './completion.js';
import { CommandError, DEFAULT_API_LISTEN, UsageError } from './preamble.js';
import { ListenError } from '../server/listen-on.js';
import type { StoreOptions } from './store-option.js';
import type { NotifyCliOptions } from './notify-options.js';
import { WRITE_LIMIT_DEFAULTS } from './write-limits.js';
import type { FollowCliOptions } from './follow-options.js';

/** Commander's accumulator for a repeatable option. */
const collect = (value: string, previous: string[]): string[] => [...previous, value];

const program = new Command()
  .name('pacific')
  .description('GitOps reconciler for a Kubernetes-native vSphere (Project Pacific), with a simulated vSphere inventory')
  .version(`pacific ${versionInfo().pacific}`, '--version', 'print the version and exit')
  .exitOverride();

/** The flags of every command that talks to a running daemon (see client.ts for the order they are tried in). */
function connected(command: Command): Command {
  return command
    .option('--server <url>', 'the daemon (its status listener, or the Kubernetes API of a kubeconfig); default $PACIFIC_SERVER, else the current kubeconfig context, else http://127.0.0.1:8080')
    .option('--token <token>', 'bearer token (default $PACIFIC_TOKEN, else the kubeconfig user\'s): the admin token, or one from pacific kubeconfig')
    .option('--kubeconfig <file>', 'kubeconfig to read the server, CA and token from (default $KUBECONFIG, ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default its current-context)');
}

const outputOption = (choices: string[], fallback: string) => new Option('-o, --output <format>', 'output format').choices(choices).default(fallback);
const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
};

program
  .command('init')
  .description('create a bare Git repo whose first commit on main holds the manifests of a folder')
  .argument('<bare-repo>', 'path of the bare repository to create')
  .option('--from <dir>', 'folder of manifests (default: the bundled sample-repo)')
  .action(async (bareRepo: string, options: { from?: string }) => {
    process.exitCode = await (await import('./init.js')).initCommand(bareRepo, options);
  });

program
  .command('serve')
  .description('run the reconciler daemon')
  .requiredOption('--repo <path|url>', 'a local Git repository (bare or not), or a remote one: https://…, ssh://…, user@host:path')
  .option('--branch <name>', 'branch to follow', 'main')
  .option('--tag <name>', 'follow a tag of a remote repository instead of a branch')
  .option('--semver <range>', "follow the highest tag of a remote repository in a semver range (e.g. '^1.2')")
  .option('--commit <sha>', 'pin a commit of a remote repository')
  .option('--path <dir>', 'a folder of the repository as the manifest root')
  .option('--interval <duration>', 'how often a remote repository is fetched (±10% jitter)', '1m')
  .option('--fetch-timeout <duration>', 'how long a fetch may take', '60s')
  .option('--fetch-limit <name=value>', 'what a fetch may bring, repeatable: bytes (default 512Mi), objects (default 1000000)', collect, [] as string[])
  .option('--credentials <file>', 'credentials for remote repositories (YAML, mode 0600; see README)')
  .option('--verify <file>', 'signers (SSH and OpenPGP keys) and path rules every commit since the last applied one must meet (YAML; see README)')
  .option('--state <dir>', 'state dir (SQLite store, token)', '.pacific/state')
  .option('--listen <host:port>', 'HTTP status address', '127.0.0.1:8080')
  .option('--resync <duration>', 'resync period (drift check, missed events)', '60s')
  .option('--topology <file>', 'simulated vCenter topology YAML (new state dirs only)')
  .option('--tenant-root <dir>', 'folder of per-namespace tenant folders (tenancy rule)', 'namespaces')
  .option('--no-tenancy', 'turn the tenancy rule off')
  .option('--max-body <bytes>', 'largest request body of a state-changing endpoint (413 beyond)', WRITE_LIMIT_DEFAULTS.maxBody)
  .option('--write-rate <per-second>', 'state-changing requests per second per client (429 beyond)', WRITE_LIMIT_DEFAULTS.writeRate)
  .option('--write-burst <count>', 'state-changing requests a client may send at once', WRITE_LIMIT_DEFAULTS.writeBurst)
  .option('--max-prune <percent|count>', 'hold a revision that would delete more than this share (50%) or number of the objects pacific created, until confirmed; 0 or off: no bound', DEFAULT_PRUNE_LIMIT)
  .option('--limit <name=value>', `a manifest limit, repeatable: ${Object.keys(LIMIT_OPTIONS).join(', ')} (e.g. file=2Mi, depth=32)`, collect, [] as string[])
  .option('--api-listen <host:port>', 'Kubernetes API address (HTTPS); off to turn it off', DEFAULT_API_LISTEN)
  .option('--api-cert <file>', "the Kubernetes API's serving certificate (PEM; default: made in the state dir by pacific's CA)")
  .option('--api-key <file>', 'the key of --api-cert (PEM)')
  .option('--allowed-host <name>', 'a Host name every listener answers besides IP addresses and localhost (.example.com: its subdomains), repeatable', collect, [] as string[])
  .option('--store <store>', 'sqlite (in the state dir) or etcd://host:port[,host:port…] (several replicas, one leader)', 'sqlite')
  .option('--store-prefix <prefix>', 'the etcd key prefix of this pacific', '/pacific/')
  .option('--etcd-ca <file>', "CA of etcd's serving certificate (PEM): connect with TLS")
  .option('--etcd-cert <file>', 'client certificate for etcd (PEM)')
  .option('--etcd-key <file>', 'key of --etcd-cert (PEM)')
  .option('--lease <duration>', 'leader lease TTL (failover takes about this long after a crash)', '5s')
  .option('--replica-id <name>', 'this replica in the leader key (default: hostname:pid)')
  .option('--etcd-max-txn-ops <n>', "the etcd server's --max-txn-ops (larger writes are staged)", '128')
  .option('--etcd-max-request-bytes <n>', "the etcd server's --max-request-bytes", String(1.5 * 1024 * 1024))
  .option('--notify <url>', 'POST a signed JSON notification here when a revision is applied or fails, a prune is held, drift is corrected, a host or the source fails; repeatable', collect, [] as string[])
  .option('--notify-secret-file <file>', 'the HMAC-SHA256 key of the X-Pacific-Signature header (default $PACIFIC_NOTIFY_SECRET)')
  .option('--notify-queue <n>', 'notifications kept waiting per receiver; the oldest is dropped beyond', '1000')
  .addOption(new Option('--log-level <level>', 'the least level logged (default $PACIFIC_LOG_LEVEL, else info)').choices(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']))
  .addOption(new Option('--log-format <format>', 'json lines, or text for people (default $PACIFIC_LOG_FORMAT, else text on a terminal, json otherwise)').choices(['json', 'text']))
  .action(async (options: FollowCliOptions & { verify?: string; repo: string; branch: string; state: string; listen: string; resync: string; topology?: string; tenantRoot: string; tenancy: boolean; maxPrune: string; maxBody: string; writeRate: string; writeBurst: string; limit: string[]; apiListen: string; apiCert?: string; apiKey?: string; allowedHost: string[]; logLevel?: string; logFormat?: 'json' | 'text' } & StoreOptions & NotifyCliOptions) => {
    await (await import('./serve.js')).serve({ ...options, tenancy: options.tenancy ? options.tenantRoot : false });
  });

program
  .command('diff')
  .description('dry run: the plan for a directory or repo revision (exit 0 no changes, 1 changes, 2 error)')
  .argument('<dir-or-repo>', 'a folder of manifests or a clone (as they are on disk, uncommitted edits included), or a bare Git repository')
  .option('--ref <rev>', 'revision of a Git repository (branch, tag, commit)')
  .option('--branch <name>', "the head of this branch instead (default: a clone's files on disk, a bare repository's HEAD branch)")
  .option('--state <dir>', "compare with a state dir's inventory")
  .option('--server <url>', "compare with a running daemon's live inventory")
  .option('--token <token>', 'bearer token for --server (default $PACIFIC_TOKEN): the admin token, or one from pacific kubeconfig')
  .option('--topology <file>', 'topology of the fresh inventory (without --state/--server)')
  .option('--tenant-root <dir>', 'folder of per-namespace tenant folders (tenancy rule)', 'namespaces')
  .option('--no-tenancy', 'turn the tenancy rule off')
  .option('--max-prune <percent|count>', "the daemon's prune bound: say when it would hold the plan", DEFAULT_PRUNE_LIMIT)
  .option('--limit <name=value>', `a manifest limit, repeatable: ${Object.keys(LIMIT_OPTIONS).join(', ')} (e.g. file=2Mi, depth=32)`, collect, [] as string[])
  .addOption(new Option('-o, --output <format>', 'output format: the plan as text or JSON, or a unified YAML diff per object (KUBECTL_EXTERNAL_DIFF honoured)').choices(['text', 'json', 'diff']).default('text'))
  .action(async (path: string, options: { ref?: string; branch?: string; state?: string; server?: string; token?: string; topology?: string; output: 'text' | 'json' | 'diff'; tenantRoot: string; tenancy: boolean; maxPrune: string; limit: string[] }) => {
    process.exitCode = await (await import('./diff.js')).diffCommand(path, { ...options, limits: options.limit, tenancy: options.tenancy ? options.tenantRoot : false });
  });

program
  .command('validate')
  .description('validate the manifests of a directory or repo revision (exit 0 valid, 1 invalid, 2 usage error)')
  .argument('<dir-or-repo>', 'a folder of manifests or a clone (as they are on disk, uncommitted edits included), or a bare Git repository')
  .option('--ref <rev>', 'revision of a Git repository (branch, tag, commit)')
  .option('--branch <name>', "the head of this branch instead (default: a clone's files on disk, a bare repository's HEAD branch)")
  .option('--tenant-root <dir>', 'folder of per-namespace tenant folders (tenancy rule)', 'namespaces')
  .option('--no-tenancy', 'turn the tenancy rule off')
  .option('--limit <name=value>', `a manifest limit, repeatable: ${Object.keys(LIMIT_OPTIONS).join(', ')} (e.g. file=2Mi, depth=32)`, collect, [] as string[])
  .action(async (path: string, options: { ref?: string; branch?: string; tenantRoot: string; tenancy: boolean; limit: string[] }) => {
    process.exitCode = await (await import('./validate.js')).validateCommand(path, { ...options, limits: options.limit, tenancy: options.tenancy ? options.tenantRoot : false });
  });

program
  .command('kubeconfig')
  .description("print a kubeconfig for the daemon's Kubernetes API: its CA, a signed token, a context per namespace the identity may use")
  .requiredOption('--state <dir>', "the daemon's state dir (signing key, CA, inventory)")
  .option('--server <url>', 'the API address', 'https://127.0.0.1:6443')
  .option('--user <name>', 'the identity (default: the VI admin, administrator@vsphere.local in group system:masters)')
  .option('--group <name>', 'a group of the identity, repeatable', collect, [] as string[])
  .option('--ttl <duration>', 'token lifetime', '10h')
  .action(async (options: { state: string; server: string; user?: string; group: string[]; ttl: string }) => {
    process.exitCode = (await import('./kubeconfig.js')).kubeconfigCommand(options);
  });

program
  .command('start')
  .description('the demo: serve .pacific/gitops.git (created from sample-repo) with state in .pacific/state')
  .option('--listen <host:port>', 'HTTP status address', '127.0.0.1:8080')
  .option('--api-listen <host:port>', 'Kubernetes API address (HTTPS); off to turn it off', DEFAULT_API_LISTEN)
  .action(async (options: { listen: string; apiListen: string }) => {
    await (await import('./start.js')).startCommand(options);
  });

connected(
  program
    .command('get')
    .description('list objects as the daemon reports them: health, Ready reason (exit 1 when a named object is not found)')
    .argument('[kind]', 'a kind, plural or short name (vm, tkc, pods, …); all kinds when absent or "all"')
    .argument('[name]', 'one object')
    .option('-n, --namespace <ns>', 'namespace (default: the kubeconfig context\'s, else all)')
    .option('-A, --all-namespaces', 'every namespace')
    .addOption(outputOption(['table', 'wide', 'yaml', 'json', 'name'], 'table'))
    .option('-w, --watch', 'after listing, print each object whose health or reason changes'),
).action(async (kind: string | undefined, name: string | undefined, options) => {
  process.exitCode = await (await import('./get.js')).getCommand(kind, name, options);
});

connected(
  program
    .command('status')
    .description('the source, its revisions and conditions, suspension, and health per namespace')
    .addOption(outputOption(['text', 'yaml', 'json'], 'text')),
).action(async (options) => {
  process.exitCode = await (await import('./status.js')).statusCommand(options);
});

connected(
  program
    .command('events')
    .description('the event log, oldest first')
    .option('-n, --namespace <ns>', 'events of objects of this namespace (default: the kubeconfig context\'s, else all)')
    .option('-A, --all-namespaces', 'every namespace')
    .option('--limit <n>', 'how many of the newest events', positive, 100)
    .addOption(outputOption(['table', 'yaml', 'json'], 'table'))
    .option('-w, --watch', 'then follow new events'),
).action(async (options) => {
  process.exitCode = await (await import('./events.js')).eventsCommand(options);
});

const duration = (value: string) => {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};

connected(
  program
    .command('reconcile')
    .description('run a pass now; with --wait, wait for it and exit 1 unless the head is applied')
    .option('--wait', 'wait for the pass and print its result')
    .option('--timeout <duration>', 'how long --wait waits', duration, 300_000),
).action(async (options) => {
  process.exitCode = await (await import('./control.js')).reconcileCommand(options);
});

connected(program.command('suspend').description('stop applying new revisions and correcting drift (kept across restarts); reads and dry runs go on').option('--reason <text>', 'why, shown by pacific status')).action(async (options) => {
  process.exitCode = await (await import('./control.js')).suspendCommand(true, options);
});

connected(program.command('resume').description('reconcile again after pacific suspend; a pass follows')).action(async (options) => {
  process.exitCode = await (await import('./control.js')).suspendCommand(false, options);
});

connected(
  program
    .command('wait')
    .description('wait until a revision is applied or the head is applied and Ready (exit 1 at the timeout, as kubectl wait)')
    .requiredOption('--for <condition>', 'revision=<sha> (a full or short id) or ready')
    .option('--timeout <duration>', 'how long to wait', duration, 300_000),
).action(async (options) => {
  process.exitCode = await (await import('./control.js')).waitCommand(options);
});

connected(
  program
    .command('history')
    .description('the last reconcile passes: trigger, result, revision, duration, plan digest and counts')
    .option('--limit <n>', 'how many passes', positive, 20)
    .addOption(outputOption(['table', 'wide', 'yaml', 'json'], 'table')),
).action(async (options) => {
  process.exitCode = await (await import('./history.js')).historyCommand(options);
});

connected(
  program
    .command('prune')
    .description('the prune bound: confirm a held revision')
    .command('confirm')
    .description('apply the revision the prune bound holds (a full or short id), and no other')
    .argument('<revision>', 'the held revision'),
).action(async (revision: string, options) => {
  process.exitCode = await (await import('./control.js')).pruneConfirmCommand(revision, options);
});

program
  .command('journal')
  .description('the pass journal in a state dir')
  .command('verify')
  .description("check the journal's hash chain: every pass record unchanged and in order (exit 1 names the first that is not)")
  .requiredOption('--state <dir>', 'the state dir')
  .action(async (options: { state: string }) => {
    process.exitCode = (await import('./journal.js')).journalVerifyCommand(options.state);
  });

connected(
  program
    .command('version')
    .description("pacific's version, and the daemon's when it can be reached")
    .option('--client', 'only the client version')
    .addOption(outputOption(['text', 'yaml', 'json'], 'text')),
).action(async (options) => {
  process.exitCode = await (await import('./version.js')).versionCommand(options);
});

program
  .command('completion')
  .description('print a shell completion script: source <(pacific completion bash)')
  .addArgument(new Argument('<shell>', 'the shell').choices([...SHELLS]))
  .action(async (shell: string) => {
    const [{ completionScript }, { servedKindDefinitions }] = await Promise.all([import('./completion.js'), import('../manifests/definitions/index.js')]);
    const kinds = [...new Set(servedKindDefinitions.map((d) => d.kind.toLowerCase()))].sort();
    process.stdout.write(completionScript(program, shell, kinds));
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommandError) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = err.code;
  } else if (err instanceof CommanderError) {
    // Help and version exit 0; any other parse problem is a usage error.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof ListenError) {
    process.stderr.write(`pacific: ${err.message}\n`);
    process.exitCode = 1;
  } else if (err instanceof UsageError || err instanceof StoreError) {
    process.stderr.write(`pacific: ${(err as Error).message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`pacific: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 2;
  }
}
