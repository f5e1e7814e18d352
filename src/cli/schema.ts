/**
 * `mxsim schema`: the JSON Schema of scenario files, derived from the grammar
 * (src/scenario/grammar.ts). `schema/scenario.schema.json` is its output;
 * scenario files point at it with "$schema" so editors complete and check them.
 * `--calibration`: the schema of calibration files (schema/calibration.schema.json).
 */
import { Command } from 'commander';
import { z } from 'zod';
import { calibrationJsonSchema } from '../calibrate/calibration-file.js';
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

/** The text `mxsim schema --calibration` prints (and `schema/calibration.schema.json` holds). */
export function calibrationJsonSchemaText(): string {
  return JSON.stringify(calibrationJsonSchema(), null, 2) + '\n';
}

export function schemaCommand(io: Io): Command {
  return new Command('schema')
    .description('print the JSON Schema of scenario files (or of calibration files)')
    .option('--calibration', 'the schema of the calibration files `mxsim calibrate` writes')
    .addHelpText('after', '\nExample:\n  mxsim schema > schema/scenario.schema.json\n  mxsim schema --calibration > schema/calibration.schema.json\n')
    .action(function (this: Command) {
      io.out(this.opts<{ calibration?: boolean }>().calibration === true ? calibrationJsonSchemaText() : scenarioJsonSchemaText());
    });
}
