import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** The project modules a file imports, as paths relative to src/ ("numeric/index.js"). */
function projectImports(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\b[^;]*?from '(\.[^']+)'/gms)) {
    const parts = [...dir.split('/').filter((p) => p !== ''), ...m[1]!.split('/')];
    const resolved: string[] = [];
    for (const p of parts) {
      if (p === '..') resolved.pop();
      else if (p !== '.') resolved.push(p);
    }
    out.push(resolved.join('/'));
  }
  return out;
}

/** Every .ts file below a folder of src/, as paths relative to src/. */
function filesIn(folder: string): string[] {
  return readdirSync(join(SRC, folder), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesIn(`${folder}/${e.name}`) : e.name.endsWith('.ts') ? [`${folder}/${e.name}`] : [],
  );
}
const folderOf = (path: string) => (path.includes('/') ? path.slice(0, path.indexOf('/')) : path);

/**
 * The layers of src/, lowest first (docs/ARCHITECTURE.md, "Layers"). A layer
 * may import from the layers below it and from itself, never from one above:
 * so no two folders import each other, and the engine knows nothing of Matrix.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['numeric'],
  ['format', 'errors.js'],
  ['engine', 'scenario'],
  ['model'],
  ['server'],
  ['analysis', 'calibrate'],
  ['cost'],
  ['report'],
  ['pipeline.js'],
  ['experiments'],
  ['cli'],
];
const rankOf = (folder: string) => LAYERS.findIndex((l) => l.includes(folder));

describe('layers', () => {
  it('src/errors.ts imports nothing from the project', () => {
    assert.deepEqual(projectImports('errors.ts'), []);
  });

  it('every folder and top-level file of src/ has a layer', () => {
    const entries = readdirSync(SRC).map((e) => (e.endsWith('.ts') ? e.replace(/\.ts$/, '.js') : e));
    assert.deepEqual(
      entries.filter((e) => rankOf(e) < 0),
      [],
    );
  });

  for (const layer of LAYERS.flat().filter((l) => !l.endsWith('.js'))) {
    it(`src/${layer}/ imports only from itself and the layers below it`, () => {
      const rank = rankOf(layer);
      const bad = filesIn(layer).flatMap((f) =>
        projectImports(f)
          .filter((i) => folderOf(i) !== layer && !(rankOf(folderOf(i)) >= 0 && rankOf(folderOf(i)) < rank))
          .map((i) => `${f} -> ${i}`),
      );
      assert.deepEqual(bad, []);
    });
  }
});

/**
 * What loading `entry` (a path relative to src/) loads at once: its static
 * imports that carry a value (not `import type`, not a list of types only),
 * followed through the project; the packages reached, by name. Dynamic
 * `import()` is left out: it loads later, when asked for.
 */
function packagesLoaded(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(SRC, file), 'utf8');
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    for (const m of text.matchAll(/^(import|export)\s+([^;]*?)\s*from\s+'([^']+)'/gms)) {
      const clause = m[2]!.trim();
      if (clause.startsWith('type ')) continue;
      const names = /^\{([^}]*)\}$/.exec(clause);
      if (names && names[1]!.split(',').every((n) => n.trim() === '' || n.trim().startsWith('type '))) continue;
      const target = m[3]!;
      if (!target.startsWith('.')) {
        packages.add(target.startsWith('@') ? target.split('/').slice(0, 2).join('/') : target.split('/')[0]!);
        continue;
      }
      const parts = [...dir.split('/').filter((p) => p !== ''), ...target.split('/')];
      const resolved: string[] = [];
      for (const p of parts) {
        if (p === '..') resolved.pop();
        else if (p !== '.') resolved.push(p);
      }
      visit(resolved.join('/').replace(/\.js$/, '.ts'));
    }
  };
  visit(entry);
  return packages;
}

describe('what a start loads', () => {
  // zod (the scenario grammar's) costs about 0.15 s of CPU to load: a worker
  // thread that simulates, a sweep's job and `mxsim queue` start without it.
  for (const entry of ['analysis/replication-task.ts', 'experiments/sweep-job.ts', 'analysis/pool-worker.ts', 'cli/queue.ts']) {
    it(`src/${entry} loads no zod`, () => {
      const loaded = packagesLoaded(entry);
      assert.ok(loaded.size > 0 || entry === 'analysis/pool-worker.ts', `found no package under ${entry}: the walk is broken`);
      assert.equal(loaded.has('zod'), false, `src/${entry} loads zod`);
    });
  }

  it('the walk does find zod where it is loaded', () => {
    assert.equal(packagesLoaded('scenario/validate.ts').has('zod'), true);
    assert.equal(packagesLoaded('cli/parse-field.ts').has('zod'), true);
  });
});
