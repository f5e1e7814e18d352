/**
 * A `ReplicationResult` (src/model/simulate.ts) across threads. Structured
 * clone, which carries a worker's result to the main thread, copies the
 * fields of a class instance but not its class: a `QuantileSketch` or the
 * `Counters` would arrive as plain objects without their methods.
 * `encodeReplication` marks each instance with its class's name;
 * `decodeReplication` makes it an instance of that class again, with the same
 * fields in the same order. Typed arrays pass as they are, and a value met
 * twice (a series two fields share) stays one value.
 *
 * The classes a result may hold are listed in CLASSES; a result holding any
 * other (a new field of a new class) fails to encode, naming the class, so
 * it is added here rather than silently stripped.
 */
import { QuantileSketch } from '../engine/quantile-sketch.js';
import { Counters } from '../model/metrics.js';
import type { ReplicationResult } from '../model/simulate.js';

/** Every class whose instances a replication's result holds, by the name written in its encoding. */
const CLASSES = { QuantileSketch, Counters } as const satisfies Record<string, { prototype: object }>;
type ClassName = keyof typeof CLASSES;

/** The key that marks an encoded instance; no plain object of a result has it. */
const CLASS_KEY = '$class';

/** A replication's result, ready for structured clone. */
export interface EncodedReplication {
  readonly encoded: 'ReplicationResult';
  readonly value: unknown;
}

/** `r` with every class instance marked with its class (the instances themselves are not changed). */
export function encodeReplication(r: ReplicationResult): EncodedReplication {
  return { encoded: 'ReplicationResult', value: encode(r, new Map(), 'result') };
}

/** The result `encodeReplication` was given, its class instances rebuilt. */
export function decodeReplication(e: EncodedReplication): ReplicationResult {
  if (e.encoded !== 'ReplicationResult') throw new TypeError(`not an encoded replication result: ${String(e.encoded)}`);
  return decode(e.value, new Map()) as ReplicationResult;
}

const nameOf = new Map<object, ClassName>(Object.entries(CLASSES).map(([name, c]) => [c.prototype, name as ClassName]));

function encode(v: unknown, seen: Map<object, unknown>, path: string): unknown {
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return v;
  const again = seen.get(v);
  if (again !== undefined) return again;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    seen.set(v, out);
    v.forEach((x, i) => out.push(encode(x, seen, `${path}[${i}]`)));
    return out;
  }
  const proto = Object.getPrototypeOf(v) as object | null;
  const fields: Record<string, unknown> = {};
  let out: Record<string, unknown> = fields;
  if (proto !== Object.prototype && proto !== null) {
    const name = nameOf.get(proto);
    if (name === undefined) {
      const ctor = (proto as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
      throw new TypeError(`${path} is a ${ctor}, which replication-codec.ts does not know: add its class to CLASSES`);
    }
    out = { [CLASS_KEY]: name, fields };
  } else if (Object.hasOwn(v, CLASS_KEY)) {
    throw new TypeError(`${path} has a field ${CLASS_KEY}, the key replication-codec.ts marks classes with`);
  }
  seen.set(v, out);
  for (const [k, x] of Object.entries(v)) fields[k] = encode(x, seen, `${path}.${k}`);
  return out;
}

function decode(v: unknown, seen: Map<object, unknown>): unknown {
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return v;
  const again = seen.get(v);
  if (again !== undefined) return again;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    seen.set(v, out);
    for (const x of v) out.push(decode(x, seen));
    return out;
  }
  const record = v as Record<string, unknown>;
  const name = record[CLASS_KEY];
  let source = record;
  let out: Record<string, unknown>;
  if (typeof name === 'string') {
    if (!Object.hasOwn(CLASSES, name)) throw new TypeError(`an encoded replication holds an unknown class ${name}`);
    out = Object.create(CLASSES[name as ClassName].prototype) as Record<string, unknown>;
    source = record.fields as Record<string, unknown>;
  } else {
    out = {};
  }
  seen.set(v, out);
  for (const [k, x] of Object.entries(source)) out[k] = decode(x, seen);
  return out;
}
