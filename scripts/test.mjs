// `npm test`: every test/**/*.test.ts except the *.full.test.ts ones, through
// Node's built-in runner with the TypeScript loader (tsx), as many files at
// once as the cores this process may use. More files than cores only fight
// for them: on 2 cores, four at a time took 185.9 s of wall time and 365 s of
// CPU, two at a time 135.3 s and 266 s, back to back (docs/TESTING.md).
// Arguments after `npm test --` go to the runner (e.g. --test-name-pattern).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Every file under `dir` whose name ends in .test.ts but not .full.test.ts, sorted. */
function fastTests(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts') && !e.name.endsWith('.full.test.ts'))
    .map((e) => relative(root, join(e.parentPath ?? e.path, e.name)))
    .sort();
}

const args = ['--import', 'tsx', '--test', `--test-concurrency=${availableParallelism()}`, ...process.argv.slice(2), ...fastTests(join(root, 'test'))];
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
