/**
 * `mxsim completion bash|zsh|fish`: a shell completion script, generated
 * from the commander program itself so it lists every command and option
 * there is (test/cli/completion.test.ts holds it to that). It completes
 * commands, options, the values of options with a fixed set of choices
 * (`--output`, `--db`), files and folders for options that take a path
 * (`--out`, `--prices`), and scenario files (`*.json`) and folders (run
 * folders) for a command's positional arguments.
 *
 * Install: `mxsim completion bash > ~/.local/share/bash-completion/completions/mxsim`,
 * `mxsim completion zsh > "${fpath[1]}/_mxsim"`, or
 * `mxsim completion fish > ~/.config/fish/completions/mxsim.fish`.
 */
import { Argument, Command } from 'commander';
import type { Io } from './io.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** What a value is completed with: a fixed list, a file or folder path, or nothing (free text). */
type ValueKind = { kind: 'choices'; choices: readonly string[] } | { kind: 'path' } | { kind: 'dir' } | { kind: 'free' };

interface OptionSpec {
  long: string | undefined;
  short: string | undefined;
  description: string;
  /** Null for a flag. */
  value: ValueKind | null;
  /** May be given more than once (its help says "repeatable"). */
  repeatable: boolean;
}

interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** Positional arguments: scenario files and run folders, or a fixed list. */
  positional: ValueKind | null;
}

/** The help options commander adds to every command without listing them in `options`. */
const HELP: OptionSpec = { long: '--help', short: '-h', description: 'display help for command', value: null, repeatable: false };

/** A description on one line, cut at its first clause: completion menus are narrow. */
function brief(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const cut = one.split(/ \(|; |: /)[0] ?? one;
  return cut.length > 70 ? `${cut.slice(0, 69)}…` : cut;
}

function valueKind(flags: string, choices: readonly string[] | undefined): ValueKind {
  if (choices !== undefined && choices.length > 0) return { kind: 'choices', choices };
  if (/<dir>/.test(flags)) return { kind: 'dir' };
  if (/<file>/.test(flags)) return { kind: 'path' };
  return { kind: 'free' };
}

function positional(args: readonly Argument[]): ValueKind | null {
  const first = args[0];
  if (first === undefined) return null;
  const choices = (first as Argument & { argChoices?: string[] }).argChoices;
  return choices !== undefined ? { kind: 'choices', choices } : { kind: 'path' };
}

function optionSpecs(cmd: Command): OptionSpec[] {
  return [
    ...cmd.options.map((o) => ({
      long: o.long,
      short: o.short,
      description: brief(o.description),
      value: o.required || o.optional ? valueKind(o.flags, o.argChoices) : null,
      repeatable: /repeatable/.test(o.description),
    })),
    HELP,
  ];
}

/** The program's commands and options, as the scripts need them. */
export function completionSpec(program: Command): { name: string; options: OptionSpec[]; commands: CommandSpec[] } {
  return {
    name: program.name(),
    options: optionSpecs(program),
    commands: program.commands.map((c) => ({ name: c.name(), description: brief(c.description()), options: optionSpecs(c), positional: positional(c.registeredArguments) })),
  };
}

const flagsOf = (o: OptionSpec) => [o.long, o.short].filter((f): f is string => f !== undefined);

function bash(program: Command): string {
  const spec = completionSpec(program);
  const top = [...spec.commands.map((c) => c.name), ...spec.options.flatMap(flagsOf)].join(' ');
  const valueCase = (opts: OptionSpec[]) =>
    opts
      .filter((o) => o.value !== null)
      .map((o) => {
        const v = o.value as ValueKind;
        const action =
          v.kind === 'choices'
            ? `COMPREPLY=( $(compgen -W "${v.choices.join(' ')}" -- "$cur") )`
            : v.kind === 'dir'
              ? '_mxsim_paths dir'
              : v.kind === 'path'
                ? '_mxsim_paths file'
                : 'COMPREPLY=()';
        return `        ${flagsOf(o).join('|')}) ${action}; return ;;`;
      })
      .join('\n');
  const commands = spec.commands
    .map((c) => {
      const values = valueCase(c.options);
      const pos =
        c.positional === null
          ? 'COMPREPLY=()'
          : c.positional.kind === 'choices'
            ? `COMPREPLY=( $(compgen -W "${c.positional.choices.join(' ')}" -- "$cur") )`
            : '_mxsim_paths json';
      return [
        `    ${c.name})`,
        ...(values === '' ? [] : ['      case "$prev" in', values, '      esac']),
        `      if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W "${c.options.flatMap(flagsOf).join(' ')}" -- "$cur") ); return; fi`,
        `      ${pos}`,
        '      ;;',
      ].join('\n');
    })
    .join('\n');
  return `# bash completion for ${spec.name}, generated by \`${spec.name} completion bash\`
# Install: ${spec.name} completion bash > ~/.local/share/bash-completion/completions/${spec.name}
# (or add  source <(${spec.name} completion bash)  to ~/.bashrc)

_mxsim_paths() {
  local IFS=$'\\n'
  case "$1" in
    dir) COMPREPLY=( $(compgen -d -- "$cur") ) ;;
    file) COMPREPLY=( $(compgen -f -- "$cur") ) ;;
    json) COMPREPLY=( $(compgen -d -- "$cur") $(compgen -f -X '!*.json' -- "$cur") ) ;;
  esac
}

_mxsim() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      -*) ;;
      *) cmd="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$cmd" in
    "") COMPREPLY=( $(compgen -W "${top}" -- "$cur") ) ;;
${commands}
  esac
}

complete -o filenames -F _mxsim ${spec.name}
`;
}

/** Text inside single quotes in zsh, with `[`, `]` and `:` escaped for _arguments and _describe. */
const zq = (s: string) =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/([[\]:])/g, '\\$1')
    .replace(/'/g, `'\\''`);

function zshAction(v: ValueKind, what: string): string {
  if (v.kind === 'choices') return `:${what}:(${v.choices.join(' ')})`;
  if (v.kind === 'dir') return `:${what}:_files -/`;
  if (v.kind === 'path') return `:${what}:_files`;
  return `:${what}: `;
}

function zshOptions(opts: OptionSpec[]): string[] {
  return opts.flatMap((o) => flagsOf(o).map((f) => `'${o.repeatable ? '*' : ''}${f}[${zq(o.description)}]${o.value === null ? '' : zshAction(o.value, 'value')}'`));
}

function zsh(program: Command): string {
  const spec = completionSpec(program);
  const describe = spec.commands.map((c) => `    '${zq(c.name)}:${zq(c.description)}'`).join('\n');
  const commands = spec.commands
    .map((c) => {
      const pos =
        c.positional === null
          ? []
          : c.positional.kind === 'choices'
            ? [`'1:argument:(${c.positional.choices.join(' ')})'`]
            : [`'*:scenario file or run folder:_files -g "*.json(-.)"'`];
      return `    ${c.name})\n      _arguments -s \\\n        ${[...zshOptions(c.options), ...pos].join(' \\\n        ')}\n      ;;`;
    })
    .join('\n');
  return `#compdef ${spec.name}
# zsh completion for ${spec.name}, generated by \`${spec.name} completion zsh\`
# Install: ${spec.name} completion zsh > "\${fpath[1]}/_${spec.name}"  (then restart zsh),
# or add  source <(${spec.name} completion zsh)  to ~/.zshrc after compinit.

_mxsim_commands() {
  local -a commands
  commands=(
${describe}
  )
  _describe -t commands '${spec.name} command' commands
}

_mxsim() {
  local curcontext="$curcontext" state line
  _arguments -C \\
    ${zshOptions(spec.options).join(' \\\n    ')} \\
    '1: :_mxsim_commands' \\
    '*:: :->args'
  case $state in
    args)
      case $words[1] in
${commands.replace(/^/gm, '    ')}
      esac
      ;;
  esac
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _mxsim "$@"
else
  compdef _mxsim ${spec.name}
fi
`;
}

/** Text inside single quotes in fish. */
const fq = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fishOption(o: OptionSpec, condition: string, program: string): string {
  const flags = [...(o.long ? [`-l ${o.long.replace(/^--/, '')}`] : []), ...(o.short ? [`-s ${o.short.replace(/^-/, '')}`] : [])].join(' ');
  const v = o.value;
  const value =
    v === null
      ? ''
      : v.kind === 'choices'
        ? ` -x -a ${fq(v.choices.join(' '))}`
        : v.kind === 'dir'
          ? " -x -a '(__fish_complete_directories)'"
          : v.kind === 'path'
            ? ' -r -F'
            : ' -x';
  return `complete -c ${program} -n ${fq(condition)} ${flags}${value} -d ${fq(o.description)}`;
}

function fish(program: Command): string {
  const spec = completionSpec(program);
  const p = spec.name;
  const lines = [
    `# fish completion for ${p}, generated by \`${p} completion fish\``,
    `# Install: ${p} completion fish > ~/.config/fish/completions/${p}.fish`,
    '',
    `complete -c ${p} -f`,
    ...spec.options.map((o) => fishOption(o, '__fish_use_subcommand', p)),
    ...spec.commands.map((c) => `complete -c ${p} -n __fish_use_subcommand -a ${fq(c.name)} -d ${fq(c.description)}`),
  ];
  for (const c of spec.commands) {
    const cond = `__fish_seen_subcommand_from ${c.name}`;
    lines.push('', ...c.options.map((o) => fishOption(o, cond, p)));
    if (c.positional?.kind === 'choices') lines.push(`complete -c ${p} -n ${fq(cond)} -a ${fq(c.positional.choices.join(' '))}`);
    else if (c.positional?.kind === 'path') lines.push(`complete -c ${p} -n ${fq(cond)} -a '(__fish_complete_suffix .json)'`);
  }
  return lines.join('\n') + '\n';
}

/** The completion script for `shell`, from `program` (the whole mxsim program). */
export function completionScript(program: Command, shell: Shell): string {
  return shell === 'bash' ? bash(program) : shell === 'zsh' ? zsh(program) : fish(program);
}

/** `mxsim completion SHELL`; `root` gives the whole program once it is built. */
export function completionCommand(io: Io, root: () => Command): Command {
  return new Command('completion')
    .description('print a shell completion script: commands, options and scenario files')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(SHELLS))
    .addHelpText(
      'after',
      '\nExamples:\n  mxsim completion bash > ~/.local/share/bash-completion/completions/mxsim\n  mxsim completion zsh > "${fpath[1]}/_mxsim"\n  mxsim completion fish > ~/.config/fish/completions/mxsim.fish\n',
    )
    .action((shell: Shell) => {
      io.out(completionScript(root(), shell));
    });
}
