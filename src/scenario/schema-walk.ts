/**
 * Walking the scenario grammar's zod schema alongside the input (zod v4
 * internals, read-only): the schema at a path, with its wrappers (optional,
 * default, nullable, ...) taken off and discriminated unions resolved by the
 * value found there, the field names allowed at a path, and the value at a
 * path of the input.
 */
import { ScenarioSchema } from './grammar.js';

export interface ZodInternals {
  _zod: {
    def: {
      type: string;
      innerType?: unknown;
      in?: unknown;
      element?: unknown;
      shape?: Record<string, unknown>;
      options?: unknown[];
      discriminator?: string;
      values?: unknown[];
    };
  };
  shape?: Record<string, unknown>;
}

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

function internals(schema: unknown): ZodInternals | undefined {
  return schema !== null && typeof schema === 'object' && '_zod' in schema ? (schema as ZodInternals) : undefined;
}

/** Strip optional/default/prefault/nullable wrappers (and pipes, to their input side). */
export function unwrap(schema: unknown): { schema: ZodInternals | undefined; nullable: boolean } {
  let s = internals(schema);
  let nullable = false;
  while (s) {
    const def = s._zod.def;
    if (def.type === 'nullable') nullable = true;
    if (WRAPPERS.has(def.type)) s = internals(def.innerType);
    else if (def.type === 'pipe') s = internals(def.in);
    else break;
  }
  return { schema: s, nullable };
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** For a discriminated union, the option matching the value's discriminator (e.g. its `kind`). */
export function resolveUnion(s: ZodInternals, value: unknown): ZodInternals | undefined {
  const def = s._zod.def;
  if (def.type !== 'union') return s;
  if (def.discriminator === undefined || !isPlainObject(value)) return undefined;
  const tag = value[def.discriminator];
  for (const option of def.options ?? []) {
    const o = unwrap(option).schema;
    const lit = internals(o?.shape?.[def.discriminator]);
    if (lit?._zod.def.values?.includes(tag)) return o;
  }
  return undefined;
}

/** The (unwrapped, union-resolved) schema at `path`, following the input to pick union options. */
export function schemaAt(root: unknown, input: unknown, path: readonly PropertyKey[]): { schema: ZodInternals | undefined; nullable: boolean } {
  let s: unknown = root;
  let value: unknown = input;
  for (const seg of path) {
    const u = unwrap(s).schema;
    if (!u) return { schema: undefined, nullable: false };
    const r = resolveUnion(u, value);
    if (!r) return { schema: undefined, nullable: false };
    if (r._zod.def.type === 'object' && typeof seg === 'string') s = r.shape?.[seg] ?? r._zod.def.shape?.[seg];
    else if (r._zod.def.type === 'array' && typeof seg === 'number') s = r._zod.def.element;
    else return { schema: undefined, nullable: false };
    value = isPlainObject(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[seg] : undefined;
    if (s === undefined) return { schema: undefined, nullable: false };
  }
  const { schema, nullable } = unwrap(s);
  return { schema: schema ? (resolveUnion(schema, value) ?? schema) : undefined, nullable };
}

/** Field names allowed in the object at `path` (empty when not an object there). */
export function knownKeysAt(input: unknown, path: readonly PropertyKey[]): string[] {
  const { schema } = schemaAt(ScenarioSchema, input, path);
  if (!schema || schema._zod.def.type !== 'object') return [];
  return Object.keys(schema.shape ?? schema._zod.def.shape ?? {});
}

/** The value at `path` in `input`; `broken` when a container on the way is not an object or array. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): { value: unknown; broken: boolean } {
  let v: unknown = input;
  for (const seg of path) {
    if (v === undefined) return { value: undefined, broken: false };
    if (typeof seg === 'number' ? !Array.isArray(v) : !isPlainObject(v)) return { value: undefined, broken: true };
    v = (v as Record<PropertyKey, unknown>)[seg as string | number];
  }
  return { value: v, broken: false };
}
