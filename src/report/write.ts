/**
 * Putting a report folder in place without ever leaving half of one: every
 * file is written into a temporary sibling folder, which is then renamed
 * into place. An existing report is replaced only when `force` is set.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MxsimError } from '../errors.js';

/** The report folder exists and may not be replaced (code `output.exists`, exit 4). */
export class OutputExistsError extends MxsimError {
  constructor(readonly path: string) {
    super('output.exists', `${path} already exists; use --force to replace it`);
    this.name = 'OutputExistsError';
  }
}

/** Throw OutputExistsError when `dir` exists and may not be replaced. */
export function checkOutput(dir: string, force: boolean): void {
  if (!force && existsSync(dir)) throw new OutputExistsError(dir);
}

/**
 * Write `files` (relative path -> content) as the folder `dir`.
 * @example await writeReport('reports/team-50', new Map([['summary.json', '{}']]), false)
 */
export async function writeReport(dir: string, files: ReadonlyMap<string, string | Uint8Array>, force: boolean): Promise<void> {
  checkOutput(dir, force);
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const tmp = join(parent, `.mxsim-tmp-${basename(dir)}-${tag}`);
  try {
    for (const [rel, content] of files) {
      const path = join(tmp, rel);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    }
    if (existsSync(dir)) {
      checkOutput(dir, force);
      const old = join(parent, `.mxsim-old-${basename(dir)}-${tag}`);
      await rename(dir, old);
      await rename(tmp, dir);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, dir);
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
