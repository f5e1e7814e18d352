/**
 * The calibration file `mxsim calibrate` writes and `mxsim run
 * --calibration` reads: the fitted coefficients with their intervals, the
 * shipped value each replaces (or the reason it was kept), the window and
 * server they came from, and the fit's quality. Its JSON Schema,
 * schema/calibration.schema.json, is generated from `CalibrationSchema`
 * (`mxsim schema --calibration`). docs/CALIBRATE.md describes each field.
 */
import { z } from 'zod';
import { OPS } from '../model/homeserver.js';

export const CALIBRATION_KIND = 'mxsim-calibration';
export const CALIBRATION_VERSION = 1;

/** A cost field (`op.field`) or memory term a coefficient may replace. */
const APPLIES = new RegExp(`^(?:(?:${OPS.join('|')})\\.(?:cpuMs|cpuMsPerUnit)|processBaseBytes|bytesPerOnlineDevice)$`);

const Interval = z.tuple([z.number(), z.number()]).describe('95% interval (moving-block bootstrap percentiles), low then high');

const CoefficientSchema = z.strictObject({
  name: z.string().describe('the operation class (or memory term) fitted'),
  unit: z.string().describe('the unit of value, shipped and interval'),
  per: z.string().describe('what one counted operation is'),
  applies: z
    .array(z.string().regex(APPLIES, 'an op.cpuMs or op.cpuMsPerUnit of src/server/profiles.ts, processBaseBytes or bytesPerOnlineDevice'))
    .describe('the cost fields (op.field of src/server/profiles.ts) or memory terms this value replaces in `mxsim run --calibration`'),
  shipped: z.number().describe("mxsim's own value for this server"),
  value: z.number().min(0).nullable().describe('the fitted value; null when kept'),
  interval: Interval.nullable(),
  status: z.enum(['fitted', 'kept']).describe('fitted: used by `mxsim run --calibration`; kept: the shipped value stays'),
  reason: z.string().nullable().describe('why it was kept (null when fitted)'),
});
export type CalibrationCoefficient = z.infer<typeof CoefficientSchema>;

const Quality = z.strictObject({
  rSquared: z.number().describe('1 - residual sum of squares / total sum of squares of the observed series'),
  residualSd: z.number().describe('standard deviation of the residuals, in the unit of the series'),
  meanObserved: z.number().describe('mean of the observed series'),
});

export const CalibrationSchema = z.strictObject({
  kind: z.literal(CALIBRATION_KIND),
  version: z.literal(CALIBRATION_VERSION),
  mxsimVersion: z.string(),
  window: z.strictObject({
    from: z.string().describe('first sample, ISO 8601'),
    to: z.string().describe('last sample, ISO 8601'),
    stepSeconds: z.number().positive(),
    intervals: z.number().int().positive().describe('intervals between samples the fit used'),
  }),
  server: z.strictObject({
    scenario: z.string().describe('name of the scenario that describes the server'),
    implementation: z.string(),
    deployment: z.string(),
    users: z.number(),
    roomsPerUser: z.number().describe('rooms an average user is in, from the scenario (the shipped /sync cost depends on it)'),
    processes: z.array(z.strictObject({ kind: z.string().describe('the `job` label'), instances: z.number().int().positive() })),
  }),
  sources: z.array(z.string()).describe('the metrics files read'),
  method: z.string().describe('how the values and intervals were found'),
  cpu: z.strictObject({
    idleCores: z.strictObject({ value: z.number(), interval: Interval.nullable() }).describe('CPU of the whole deployment with no traffic, cores'),
    coefficients: z.array(CoefficientSchema),
    quality: z.strictObject({ total: Quality, byKind: z.record(z.string(), Quality) }).describe('the fit of process_cpu_seconds_total rates, cores'),
    byKind: z
      .array(
        z.strictObject({
          kind: z.string().describe('the `job` label'),
          instances: z.number().int().positive(),
          idleCores: z.strictObject({ value: z.number(), interval: Interval }).describe("this kind's CPU with no traffic, and the kept classes' share, cores"),
          coefficients: z
            .array(z.strictObject({ name: z.string(), value: z.number().min(0), interval: Interval }))
            .describe("this kind's CPU per operation of each fitted class, ms (over all its processes); summed over the kinds, about the deployment's value"),
        }),
      )
      .optional()
      .describe(
        "with more than one process kind: where each operation's CPU lands, each kind's CPU fitted on the same rates (a diagnostic: `mxsim run` charges an operation's whole cost on the process its model routes it to)",
      ),
  }),
  memory: z.strictObject({
    coefficients: z.array(CoefficientSchema),
    quality: Quality.nullable().describe('the fit of process_resident_memory_bytes summed over the processes, bytes; null when absent'),
  }),
  workload: z
    .record(z.string(), z.number().nullable())
    .describe('workload figures the metrics reveal (per day or per hour, as named); null where a needed metric or the user count is absent'),
});
export type Calibration = z.infer<typeof CalibrationSchema>;

/** The cost fields a calibration may replace, by operation (run.server.calibration of a scenario). */
const OpName = z.enum(OPS);
export type CostOverrides = Partial<Record<z.infer<typeof OpName>, { cpuMs?: number; cpuMsPerUnit?: number }>>;

/** What a calibration file changes in a run: the fitted values only. */
export function overridesOf(c: Calibration): { cpu: CostOverrides; memory: { processBaseBytes?: number; bytesPerOnlineDevice?: number }; names: string[] } {
  const cpu: CostOverrides = {};
  const memory: { processBaseBytes?: number; bytesPerOnlineDevice?: number } = {};
  const names: string[] = [];
  for (const k of c.cpu.coefficients) {
    if (k.status !== 'fitted' || k.value === null) continue;
    for (const a of k.applies) {
      const [op, field] = a.split('.') as [string, string];
      const parsed = OpName.parse(op);
      cpu[parsed] = { ...cpu[parsed], [field === 'cpuMs' ? 'cpuMs' : 'cpuMsPerUnit']: k.value };
      names.push(a);
    }
  }
  for (const k of c.memory.coefficients) {
    if (k.status !== 'fitted' || k.value === null) continue;
    if (k.name === 'processBaseBytes' || k.name === 'bytesPerOnlineDevice') {
      memory[k.name] = k.value;
      names.push(k.name);
    }
  }
  return { cpu, memory, names };
}

export const CALIBRATION_SCHEMA_ID = 'urn:mxsim:schema:calibration';

/** The JSON Schema (draft 2020-12) of a calibration file. */
export function calibrationJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(CalibrationSchema, { io: 'input' }) as Record<string, unknown>;
  return { $schema, $id: CALIBRATION_SCHEMA_ID, title: 'mxsim calibration', ...rest };
}
