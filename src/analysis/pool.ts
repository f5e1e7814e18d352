/**
 * Where independent simulations run: replications, sweep points, probes of a
 * capacity search. A task names an exported function by module URL and its
 * arguments (structured-cloneable values: a scenario, a seed string), so the
 * same task can run here, in a worker thread or on another machine, and the
 * results come back in task order whatever order they finish in: a run with
 * `jobs: 1` and one with `jobs: 8` are byte-identical.
 *
 * This version runs every task in this thread, one after another.
 */

/** An exported function of a module, called with `args`; it returns a structured-cloneable value. */
export interface Task {
  /** The module's URL (`new URL('./x.js', import.meta.url).href`). */
  module: string;
  /** The name of the exported function. */
  name: string;
  args: unknown[];
}

export interface PoolOptions {
  /** Tasks run at once (default 1). */
  jobs?: number;
  /** Called as each task ends, with its index and result (in the order they end). */
  onDone?: (index: number, result: unknown) => void;
}

/** Run `tasks` and return their results in task order. */
export async function runTasks<R>(tasks: readonly Task[], o: PoolOptions = {}): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i]!;
    const mod = (await import(t.module)) as Record<string, unknown>;
    const fn = mod[t.name];
    if (typeof fn !== 'function') throw new TypeError(`${t.module} exports no function ${t.name}`);
    const r = (await (fn as (...a: unknown[]) => unknown)(...t.args)) as R;
    results.push(r);
    o.onDone?.(i, r);
  }
  return results;
}
