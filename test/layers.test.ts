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

const filesIn = (folder: string) => readdirSync(join(SRC, folder)).filter((f) => f.endsWith('.ts')).map((f) => `${folder}/${f}`);
const folderOf = (path: string) => (path.includes('/') ? path.slice(0, path.indexOf('/')) : path);

/** Which folders (or src/errors.ts) each layer may import from, besides its own. */
const ALLOWED: Record<string, readonly string[]> = {
  numeric: [],
  format: ['numeric'],
  engine: ['errors.js', 'numeric', 'format'],
  scenario: ['errors.js', 'numeric', 'format'],
};

describe('layers', () => {
  it('src/errors.ts imports nothing from the project', () => {
    assert.deepEqual(projectImports('errors.ts'), []);
  });

  for (const [layer, allowed] of Object.entries(ALLOWED)) {
    it(`src/${layer}/ imports only ${allowed.length > 0 ? allowed.join(', ') : 'from itself'}`, () => {
      const bad = filesIn(layer).flatMap((f) => projectImports(f).filter((i) => folderOf(i) !== layer && !allowed.includes(folderOf(i))).map((i) => `${f} -> ${i}`));
      assert.deepEqual(bad, []);
    });
  }
});
