import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

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
 * What loading `entry` (a path relative to src/) loads at once: the modules
 * its static imports and re-exports name, unless they carry types only
 * (`import type`, `export type`, or a list of `type` names only; a bare
 * `import 'x'` loads x), followed through the project; the packages reached,
 * by name. Read with TypeScript's parser, so comments and strings are never
 * taken for imports. Dynamic `import()` is left out: it loads later, when
 * asked for.
 */
function packagesLoaded(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const carriesValue = (node: ts.ImportDeclaration | ts.ExportDeclaration): boolean => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      if (clause === undefined) return true;
      if (clause.isTypeOnly) return false;
      if (clause.name !== undefined) return true;
      const bindings = clause.namedBindings;
      if (bindings === undefined || ts.isNamespaceImport(bindings)) return true;
      return bindings.elements.length === 0 || bindings.elements.some((e) => !e.isTypeOnly);
    }
    if (node.isTypeOnly) return false;
    const clause = node.exportClause;
    return clause === undefined || !ts.isNamedExports(clause) || clause.elements.some((e) => !e.isTypeOnly);
  };
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(join(SRC, file), 'utf8'), ts.ScriptTarget.Latest);
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    for (const node of source.statements) {
      if (!(ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) || node.moduleSpecifier === undefined) continue;
      if (!ts.isStringLiteral(node.moduleSpecifier) || !carriesValue(node)) continue;
      const target = node.moduleSpecifier.text;
      if (!target.startsWith('.')) {
        if (!target.startsWith('node:')) packages.add(target.startsWith('@') ? target.split('/').slice(0, 2).join('/') : target.split('/')[0]!);
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
  // thread that simulates, a sweep's job and `mxsim queue` start without it. (A
  // capacity probe still loads it: its cost inputs are read through a zod schema,
  // src/cost/inputs.ts, as a run folder's are.)
  for (const entry of ['analysis/replication-task.ts', 'experiments/sweep-job.ts', 'analysis/pool-worker.ts', 'cli/queue.ts']) {
    it(`src/${entry} loads no zod`, () => {
      const loaded = packagesLoaded(entry);
      // Each loads seedrandom (the random streams) or commander, so an empty set would mean the walk is broken.
      assert.ok(loaded.has('seedrandom') || loaded.has('commander') || entry === 'analysis/pool-worker.ts', `found no package under ${entry}: the walk is broken`);
      assert.equal(loaded.has('zod'), false, `src/${entry} loads zod`);
    });
  }

  it('the walk does find zod where it is loaded', () => {
    assert.equal(packagesLoaded('scenario/validate.ts').has('zod'), true);
    assert.equal(packagesLoaded('cli/parse-field.ts').has('zod'), true);
  });
});
