/**
 * Small runs for the report tests: a federating scenario small enough to
 * simulate in well under a second, and a variant whose text tries to inject
 * markup into the report.
 */
import { runScenario, type ScenarioRun } from '../../src/analysis/run.js';
import { loadCatalogs, readDefaultCatalogTexts } from '../../src/cost/catalog.js';
import { costRun, type CostedRun } from '../../src/cost/run.js';
import { costOptions, type CostOverrides } from '../../src/cost/settings.js';
import type { Scenario } from '../../src/scenario/grammar.js';
import { loadScenarioText } from '../../src/scenario/load.js';

export const XSS_SCRIPT = '<script>alert(1)</script>';
export const XSS_BOLD = '<b>x</b>';

export const small = {
  name: 'report-test',
  description: 'A small federating server for the report tests.',
  population: { users: 60, growthPerMonth: 0.01 },
  rooms: {
    kinds: [
      { name: 'direct', membershipsPerUser: 2, members: { kind: 'deterministic', value: 2 } },
      { name: 'group', count: 8, members: { kind: 'uniform', min: 3, max: 10 } },
      { name: 'partner', count: 3, members: { kind: 'uniform', min: 4, max: 8 }, remoteMemberShare: 0.5 },
    ],
  },
  federation: { mode: 'allowList', remoteServers: 2 },
  run: { days: 0.5, binMinutes: 30, replications: 2, seed: 7, horizonMonths: 12 },
};

/** The same with markup in the description and the room kind names. */
export const hostile = {
  ...small,
  name: 'report-xss',
  description: `Injection test: ${XSS_SCRIPT} and ${XSS_BOLD} & "quotes" | pipes *stars*.`,
  rooms: {
    kinds: [
      { name: XSS_SCRIPT, count: 4, members: { kind: 'deterministic', value: 3 } },
      { name: XSS_BOLD, count: 4, members: { kind: 'uniform', min: 3, max: 6 }, remoteMemberShare: 0.3 },
    ],
  },
};

export const closed = { ...small, name: 'report-closed', federation: { mode: 'closed' }, rooms: { kinds: [small.rooms.kinds[1]!] } };

export interface Fixture {
  scenario: Scenario;
  run: ScenarioRun;
  overrides: string[];
}

export function runFixture(input: unknown, overrides: string[] = []): Fixture {
  const { scenario, sha256 } = loadScenarioText(JSON.stringify(input), 'fixture.json', overrides);
  return { scenario, overrides, run: runScenario(scenario, { sha256, overrides, version: 'test' }) };
}

/** A run costed with the shipped catalogs (by default with a USD:EUR rate, so EUR offers are compared too). */
export function costedFixture(input: unknown, over: CostOverrides = { rates: ['USD:EUR=0.92'] }): Fixture & { run: CostedRun } {
  const fx = runFixture(input);
  const run = costRun(fx.run, fx.scenario, loadCatalogs(readDefaultCatalogTexts()), costOptions(fx.scenario.cost, over));
  return { ...fx, run };
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
