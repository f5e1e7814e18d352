/**
 * `mxsim schema`: the JSON Schema of scenario files, derived from the grammar
 * (src/scenario/grammar.ts). `schema/scenario.schema.json` is its output;
 * scenario files point at it with "$schema" so editors complete and check them.
 */
import { Command } from 'commander';
import { z } from 'zod';
import { ScenarioSchema } from '../scenario/grammar.js';
import type { Io } from './io.js';

export const SCENARIO_SCHEMA_ID = 'urn:mxsim:schema:scenario';

/** The JSON Schema (draft 2020-12) of a scenario file as written (defaults optional). */
export function scenarioJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(ScenarioSchema, { io: 'input' }) as Record<string, unknown>;
  return { $schema, $id: SCENARIO_SCHEMA_ID, title: 'mxsim scenario', ...rest };
}

/** The text `mxsim schema` prints (and `schema/scenario.schema.json` holds). */
export function scenarioJsonSchemaText(): string {
  return JSON.stringify(scenarioJsonSchema(), null, 2) + '\n';
}

export function schemaCommand(io: Io): Command {
  return new Command('schema')
    .description('print the JSON Schema of scenario files')
    .addHelpText('after', '\nExample:\n  mxsim schema > schema/scenario.schema.json\n')
    .action(() => {
      io.out(scenarioJsonSchemaText());
    });
}
