/**
 * docs/ARCHITECTURE.md names every file of src/, so a newcomer can find
 * where each thing lives; a new file without its line fails here.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function filesBelow(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesBelow(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : [],
  );
}

test('docs/ARCHITECTURE.md names every file of src/', () => {
  const doc = readFileSync(join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
  const missing = filesBelow('src').filter((f) => !doc.includes(`\`${f}\``));
  assert.deepEqual(missing, [], `add a line for each to the table "Every file in src/" of docs/ARCHITECTURE.md`);
});

test('docs/ARCHITECTURE.md names no file that src/ no longer has', () => {
  const doc = readFileSync(join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
  const files = new Set(filesBelow('src'));
  const named = [...doc.matchAll(/`(src\/[A-Za-z0-9_/.-]+\.ts)`/g)].map((m) => m[1] ?? '');
  assert.deepEqual([...new Set(named.filter((f) => !files.has(f)))], []);
});
