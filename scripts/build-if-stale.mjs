// `npm start`'s build step: compile src/ to dist/ only when a source is newer
// than the last build (dist/.tsbuildinfo), so a second `npm start` starts at
// once instead of type-checking the whole project again.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = 'dist/.tsbuildinfo';

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = s.mtimeMs;
  for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}

const sources = Math.max(newest('src'), newest('tsconfig.json'), newest('package.json'), newest('package-lock.json'));
if (existsSync(STAMP) && existsSync('dist/cli/main.js') && statSync(STAMP).mtimeMs >= sources) process.exit(0);
const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
// tsc leaves the stamp as it was when nothing it writes changed: mark this build as current.
const now = new Date();
if (existsSync(STAMP)) utimesSync(STAMP, now, now);
