/**
 * `pacific completion bash|zsh|fish`: a completion script made from the command tree itself, so a
 * new command or flag completes without editing this file. Commands complete first, then the
 * command's flags; a flag with fixed choices (`-o json|yaml|…`) completes its values, and `get`'s
 * first argument completes the kinds pacific serves.
 */
import type { Command, Option } from 'commander';
import { CommandError } from './preamble.js';

interface Spec {
  readonly name: string;
  readonly description: string;
  readonly flags: readonly { long?: string; short?: string; description: string; choices?: readonly string[]; takesValue: boolean }[];
}

function specs(program: Command): Spec[] {
  return program.commands.map((c) => ({
    name: c.name(),
    description: c.description(),
    flags: [...c.options.map(flagOf), { long: '--help', short: '-h', description: 'display help for command', takesValue: false }],
  }));
}

function flagOf(o: Option): Spec['flags'][number] {
  return { ...(o.long ? { long: o.long } : {}), ...(o.short ? { short: o.short } : {}), description: o.description, ...(o.argChoices ? { choices: o.argChoices } : {}), takesValue: o.required || o.optional };
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function bash(all: readonly Spec[], kinds: readonly string[]): string {
  const cases = all
    .map((c) => {
      const flags = c.flags.flatMap((f) => [f.long, f.short].filter(Boolean)).join(' ');
      const values = c.flags
        .filter((f) => f.choices)
        .map((f) => `        ${[f.long, f.short].filter(Boolean).join('|')}) COMPREPLY=($(compgen -W ${quote(f.choices!.join(' '))} -- "$cur")); return ;;`)
        .join('\n');
      const args = c.name === 'get' ? `\n        [[ $cur != -* && $COMP_CWORD -eq 2 ]] && { COMPREPLY=($(compgen -W ${quote(kinds.join(' '))} -- "$cur")); return; }` : '';
      const byFlag = values ? `\n      case "$prev" in\n${values}\n      esac` : '';
      return `    ${c.name})${byFlag}${args}\n      COMPREPLY=($(compgen -W ${quote(flags)} -- "$cur")) ;;`;
    })
    .join('\n');
  return `# bash completion for pacific: source <(pacific completion bash)
_pacific() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W ${quote([...all.map((c) => c.name), '--version', '--help'].join(' '))} -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
  esac
}
complete -F _pacific pacific
`;
}

function zsh(all: readonly Spec[], kinds: readonly string[]): string {
  const esc = (text: string) => text.replace(/[[\]:'\\]/g, (m) => (m === "'" ? `'\\''` : `\\${m}`));
  const commands = all.map((c) => `    '${esc(c.name)}:${esc(c.description)}'`).join('\n');
  const cases = all
    .map((c) => {
      const specs = c.flags.map((f) => {
        const names = [f.short, f.long].filter(Boolean) as string[];
        const value = f.takesValue ? (f.choices ? `:value:(${f.choices.join(' ')})` : ':value:') : '';
        const label = names.length > 1 ? `'(${names.join(' ')})'{${names.join(',')}}'` : `'${names[0]}`;
        return `        ${label}[${esc(f.description)}]${value}'`;
      });
      const args = c.name === 'get' ? [`        '1:kind:(${kinds.join(' ')})'`] : [];
      return `    ${c.name})\n      _arguments \\\n${[...specs, ...args, "        '*:file:_files'"].join(' \\\n')} ;;`;
    })
    .join('\n');
  return `#compdef pacific
# zsh completion for pacific: source <(pacific completion zsh)
_pacific() {
  local -a commands
  commands=(
${commands}
  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'pacific command' commands
    return
  fi
  shift words
  (( CURRENT-- ))
  case $words[1] in
${cases}
  esac
}
compdef _pacific pacific
`;
}

function fish(all: readonly Spec[], kinds: readonly string[]): string {
  const lines = ['# fish completion for pacific: pacific completion fish | source', 'complete -c pacific -f'];
  for (const c of all) lines.push(`complete -c pacific -n '__fish_use_subcommand' -a ${quote(c.name)} -d ${quote(c.description)}`);
  for (const c of all) {
    for (const f of c.flags) {
      const names = [f.long ? `-l ${f.long.slice(2)}` : '', f.short ? `-s ${f.short.slice(1)}` : ''].filter(Boolean).join(' ');
      const value = f.choices ? ` -x -a ${quote(f.choices.join(' '))}` : f.takesValue ? ' -r' : '';
      lines.push(`complete -c pacific -n '__fish_seen_subcommand_from ${c.name}' ${names}${value} -d ${quote(f.description)}`);
    }
  }
  lines.push(`complete -c pacific -n '__fish_seen_subcommand_from get' -a ${quote(kinds.join(' '))}`);
  return lines.join('\n') + '\n';
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

export function completionScript(program: Command, shell: string, kinds: readonly string[]): string {
  const all = specs(program);
  switch (shell) {
    case 'bash':
      return bash(all, kinds);
    case 'zsh':
      return zsh(all, kinds);
    case 'fish':
      return fish(all, kinds);
    default:
      throw new CommandError(`error: unsupported shell "${shell}": use one of ${SHELLS.join(', ')}`);
  }
}
