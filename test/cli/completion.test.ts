/**
 * `mxsim completion bash|zsh|fish` (src/cli/completion.ts): each script is
 * produced, bash's parses (`bash -n`), and each lists every command and
 * option of the program, the expectation taken from the commander program
 * itself (buildProgram), not from a list kept here.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { SHELLS } from '../../src/cli/completion.js';
import { memoryIo } from '../../src/cli/io.js';
import { buildProgram, main } from '../../src/cli/main.js';
import { EXIT } from '../../src/errors.js';

const script = async (shell: string) => {
  const io = memoryIo();
  const code = await main(['node', 'mxsim', 'completion', shell], io);
  return { code, ...io };
};

/** Every command and option of the program, as commander holds them. */
async function expected(): Promise<{ commands: string[]; options: Map<string, string[]> }> {
  const program = await buildProgram(memoryIo());
  // Help.visibleOptions: the options `--help` lists, commander's own --help among them.
  const longs = (c: typeof program) =>
    program
      .createHelp()
      .visibleOptions(c)
      .map((o) => o.long ?? '');
  return {
    commands: program.commands.map((c) => c.name()),
    options: new Map([['', longs(program)], ...program.commands.map((c) => [c.name(), longs(c)] as [string, string[]])]),
  };
}

for (const shell of SHELLS) {
  test(`completion ${shell}: every command and option of the program`, async () => {
    const r = await script(shell);
    assert.equal(r.code, EXIT.ok, r.stderr);
    const { commands, options } = await expected();
    assert.ok(commands.includes('init') && commands.includes('completion'));
    for (const c of commands) assert.match(r.stdout, new RegExp(shell === 'fish' ? `-a '${c}'` : `\\b${c}\\b`), `command ${c}`);
    for (const [command, longs] of options) {
      assert.ok(longs.includes('--help'), command);
      for (const long of longs) {
        // fish names a long option without its dashes (-l output).
        const needle = shell === 'fish' ? `-l ${long.slice(2)} ` : long;
        assert.ok(r.stdout.includes(needle), `${command || 'mxsim'} ${long} in the ${shell} script`);
      }
    }
    // The choices of --output complete as values.
    assert.ok(r.stdout.includes('table json csv markdown'));
  });
}

test('completion bash: valid bash syntax (bash -n)', async (t) => {
  const probe = spawnSync('bash', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    t.skip('bash is not installed here');
    return;
  }
  const r = await script('bash');
  const check = spawnSync('bash', ['-n'], { input: r.stdout, encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  // And it registers itself for mxsim.
  assert.match(r.stdout, /complete -o filenames -F _mxsim mxsim\n$/);
});

test('completion with an unknown shell is a usage error naming the choices', async () => {
  const r = await script('powershell');
  assert.equal(r.code, EXIT.usage);
  assert.match(r.stderr, /error\[usage\]: .*powershell.*bash, zsh, fish/);
});
