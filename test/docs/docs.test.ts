/**
 * The documentation follows the code: generated sections equal what
 * scripts/docs.ts produces now (the model's coefficients, the scenario
 * defaults, the server model's costs, calibration, profiles and
 * coefficients, the metrics), and every coefficient, summary field, report
 * file and CSV column the code produces is named in the docs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { GENERATED_SECTIONS, generatedSection, markers, regenerate } from '../../scripts/docs.js';
import { runScenario, type ScenarioRun } from '../../src/analysis/run.js';
import { COEFFICIENTS } from '../../src/model/coefficients.js';
import { METRICS } from '../../src/model/metrics.js';
import { reportFiles } from '../../src/report/files.js';
import { allReportFiles } from '../../src/report/render.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { OPS } from '../../src/server/profiles.js';
import { SERVER_COEFFICIENTS } from '../../src/server/server-coefficients.js';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const model = read('docs/MODEL.md');
const output = read('docs/OUTPUT.md');
const architecture = read('docs/ARCHITECTURE.md');

/** True when `name` appears in `text` in code quotes, as the docs write field names. */
const quoted = (text: string, name: string) => text.includes(`\`${name}\``);

describe('regenerate', () => {
  const { start, end } = markers('x');

  it('replaces only the text between the markers', () => {
    const text = `before\n${start}\nold\n${end}\nafter\n`;
    assert.equal(regenerate(text, 'x', 'new\n'), `before\n${start}\n\nnew\n\n${end}\nafter\n`);
  });

  it('is idempotent', () => {
    const once = regenerate(`${start}${end}`, 'x', 'table');
    assert.equal(regenerate(once, 'x', 'table'), once);
  });

  it('throws when the markers are missing, repeated or reversed', () => {
    assert.throws(() => regenerate('no markers', 'x', 'c'), /not found/);
    assert.throws(() => regenerate(`${start}${end}${start}${end}`, 'x', 'c'), /more than once/);
    assert.throws(() => regenerate(`${end}${start}`, 'x', 'c'), /before/);
  });
});

describe('generated sections', () => {
  for (const g of GENERATED_SECTIONS) {
    it(`${g.file} "${g.marker}" equals what npm run docs produces`, () => {
      const text = g.file === 'docs/MODEL.md' ? model : g.file === 'docs/OUTPUT.md' ? output : read(g.file);
      assert.equal(generatedSection(text, g.marker), g.content().trim(), `${g.file} is out of date: run npm run docs`);
    });
  }
});

describe('docs/MODEL.md', () => {
  it('names every coefficient', () => {
    const missing = Object.keys(COEFFICIENTS).filter((name) => !quoted(model, name));
    assert.deepEqual(missing, []);
  });

  it('names every coefficient of the server model', () => {
    const missing = Object.keys(SERVER_COEFFICIENTS).filter((name) => !quoted(model, name));
    assert.deepEqual(missing, []);
  });

  it('lists every server coefficient and every operation in the generated tables', () => {
    const coefficients = generatedSection(model, 'server-coefficients');
    assert.deepEqual(
      Object.keys(SERVER_COEFFICIENTS).filter((name) => !quoted(coefficients, name)),
      [],
    );
    const costs = generatedSection(model, 'synapse-costs');
    assert.deepEqual(
      OPS.filter((op) => !quoted(costs, op)),
      [],
    );
  });
});

describe('docs/OUTPUT.md', () => {
  let run: ScenarioRun;
  let files: Map<string, string>;
  let allFiles: string[];

  before(async () => {
    const loaded = await loadScenarioFile(fileURLToPath(new URL('../../scenarios/team-50.json', import.meta.url)));
    run = runScenario(loaded.scenario, { replications: 1, sha256: loaded.sha256, overrides: [], version: 'test' });
    files = reportFiles(run, loaded.scenario);
    // Every file a report can have: team-50 has no federation, so its scenario
    // is given remote servers for the charts that only appear with them.
    const s = loaded.scenario;
    const federated = { ...s, federation: { ...s.federation, mode: 'open' as const, remoteServers: 1 } };
    allFiles = [...(await allReportFiles(run, federated, { version: 'test', overrides: [] })).keys()];
  });

  it('documents every field of summary.json that the tests check', () => {
    const s = run.summary;
    const r = s.recommendation;
    assert.ok(r.verification !== null, 'the run verifies its recommendation');
    assert.ok(s.resources.database !== null, 'team-50 runs Synapse with PostgreSQL');
    const groups: [string, object][] = [
      ['summary', s],
      ['summary.traffic', s.traffic],
      ['summary.traffic.federation', s.traffic.federation],
      ['summary.storage', s.storage],
      ['summary.resources', s.resources],
      ['summary.resources.warmup', s.resources.warmup],
      ['summary.resources.processes[]', s.resources.processes[0]!],
      ['summary.resources.database', s.resources.database],
      ['summary.resources.totalCores', s.resources.totalCores],
      ['summary.latencyMs', s.latencyMs],
      ['summary.recommendation', r],
      ['summary.recommendation.deployment', r.deployment],
      ['summary.recommendation.targets', r.targets],
      ['summary.recommendation.simulatedDeploymentMeetsTargets', r.simulatedDeploymentMeetsTargets],
      ['summary.recommendation.verification', r.verification],
    ];
    for (const [where, obj] of groups) {
      const missing = Object.keys(obj).filter((key) => !quoted(output, key));
      assert.deepEqual(missing, [], `keys of ${where} missing from docs/OUTPUT.md`);
    }
  });

  it('documents every file of the report folder', () => {
    const missing = allFiles.filter((file) => {
      // Chart files are documented once as charts/<chart>.<ext>, with each chart's name.
      const chart = /^charts\/([^/]+)\.(vl\.json|svg|png)$/.exec(file);
      if (chart) return !quoted(output, chart[1]!) || !output.includes(`charts/<chart>.${chart[2]}`);
      return !quoted(output, file);
    });
    assert.deepEqual(missing, []);
  });

  it('documents every CSV column', () => {
    const missing: string[] = [];
    for (const [file, text] of files) {
      if (!file.endsWith('.csv')) continue;
      const header = text.slice(0, text.indexOf('\n')).split(',');
      for (const column of header) if (!quoted(output, column)) missing.push(`${file}: ${column}`);
    }
    assert.deepEqual(missing, []);
  });

  it('lists every metric in the generated metrics table', () => {
    const section = generatedSection(output, 'metrics');
    assert.deepEqual(
      METRICS.filter((m) => !quoted(section, m.id)).map((m) => m.id),
      [],
    );
  });
});

describe('docs/ARCHITECTURE.md', () => {
  it('names every step of the pipeline and every layer', () => {
    for (const word of ['load', 'validate', 'normalize', 'simulate', 'summarize', 'render']) assert.ok(architecture.includes(word), word);
    for (const layer of ['engine', 'scenario', 'model', 'analysis', 'report', 'cli', 'server', 'cost']) {
      assert.ok(quoted(architecture, `src/${layer}/`), `src/${layer}/`);
    }
  });
});
