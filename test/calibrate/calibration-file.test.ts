import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { calibrationJsonSchemaText } from '../../src/cli/schema.js';
import { applyCalibrationFile } from '../../src/cli/calibrate.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { profileOf } from '../../src/server/topology.js';
import { MxsimError } from '../../src/errors.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { scenario } = await loadScenarioFile(new URL('../../scenarios/team-50.json', import.meta.url).pathname, []);

describe('calibration file', () => {
  it('schema/calibration.schema.json is what `mxsim schema --calibration` prints', () => {
    assert.equal(readFileSync(new URL('../../schema/calibration.schema.json', import.meta.url), 'utf8'), calibrationJsonSchemaText());
  });

  it('the run applies the fitted values and keeps the rest', () => {
    const coefficient = (name: string, applies: string[], shipped: number, value: number | null) => ({
      name,
      unit: 'ms',
      per: 'x',
      applies,
      shipped,
      value,
      interval: value === null ? null : [value * 0.9, value * 1.1],
      status: value === null ? 'kept' : 'fitted',
      reason: value === null ? 'no traffic of this class in the window' : null,
    });
    const cal = {
      kind: 'mxsim-calibration',
      version: 1,
      mxsimVersion: 'test',
      window: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z', stepSeconds: 300, intervals: 288 },
      server: { scenario: 'team-50', implementation: 'synapse', deployment: 'monolith', users: 50, roomsPerUser: 5, processes: [{ kind: 'synapse', instances: 1 }] },
      sources: ['m.json'],
      method: 'test',
      cpu: {
        idleCores: { value: 0.05, interval: null },
        coefficients: [
          coefficient('send', ['send.cpuMs'], 9, 14),
          coefficient('sync', ['syncNews.cpuMsPerUnit', 'send.cpuMsPerUnit'], 3.7, 6),
          coefficient('push', ['push.cpuMsPerUnit'], 2, null),
        ],
        quality: { total: { rSquared: 0.99, residualSd: 0.005, meanObserved: 0.5 }, byKind: {} },
      },
      memory: { coefficients: [{ ...coefficient('processBaseBytes', ['processBaseBytes'], 157286400, 400e6), unit: 'B' }], quality: null },
      workload: {},
    };
    const file = join(mkdtempSync(join(tmpdir(), 'mxsim-cal-')), 'c.json');
    writeFileSync(file, JSON.stringify(cal));
    const { scenario: s, replaced } = applyCalibrationFile(file, scenario);
    assert.deepEqual(replaced, ['send.cpuMs', 'syncNews.cpuMsPerUnit', 'send.cpuMsPerUnit', 'processBaseBytes']);
    const shipped = profileOf(scenario).cost({ roomsPerUser: 5 });
    const p = profileOf(s);
    const costs = p.cost({ roomsPerUser: 5 });
    assert.equal(costs.send.cpuMs, 14);
    assert.equal(costs.send.cpuMsPerUnit, 6);
    assert.equal(costs.syncNews.cpuMsPerUnit, 6);
    // Kept: the shipped value; untouched fields stay.
    assert.equal(costs.push.cpuMsPerUnit, shipped.push.cpuMsPerUnit);
    assert.equal(costs.send.dbMs, shipped.send.dbMs);
    assert.equal(p.memory.processBaseBytes, 400e6);
    assert.equal(p.memory.bytesPerOnlineDevice, profileOf(scenario).memory.bytesPerOnlineDevice);
  });

  it('a calibration for another implementation is refused', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mxsim-cal-')), 'c.json');
    const s = { ...scenario, run: { ...scenario.run, server: { ...scenario.run.server, implementation: 'dendrite' as const } } };
    writeFileSync(file, readFileSync(new URL('../../docs/examples/calibration.json', import.meta.url)));
    assert.throws(
      () => applyCalibrationFile(file, s),
      (e: unknown) => e instanceof MxsimError && e.code === 'calibration.invalid' && /calibrated for "synapse", the scenario runs "dendrite"/.test(e.message),
    );
  });
});
