import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCatalogs, readDefaultCatalogTexts } from '../../src/cost/catalog.js';
import { probeHolds, shareMeeting, wilsonInterval } from '../../src/experiments/capacity-confidence.js';
import { hardwareCapacity, hardwareFromCatalog, parseHardwareSpec, probeTasks } from '../../src/experiments/capacity-hardware.js';
import { validateScenario } from '../../src/scenario/validate.js';

const close = (a: readonly number[], b: readonly number[], eps = 5e-5) =>
  assert.ok(a.length === b.length && a.every((x, i) => Math.abs(x - b[i]!) < eps), `${a.join(', ')} vs ${b.join(', ')}`);

describe('Wilson interval', () => {
  it('matches published values', () => {
    // 3 of 3: [0.4385, 1]; 2 of 3: [0.2077, 0.9385]; 1 of 3: [0.0615, 0.7923]; 5 of 10: [0.2366, 0.7634]
    // (Wilson 1927's formula; the same figures as Brown, Cai and DasGupta 2001 and R's prop.test(correct = FALSE)).
    close(wilsonInterval(3, 3), [0.4385, 1]);
    close(wilsonInterval(2, 3), [0.2077, 0.9385]);
    close(wilsonInterval(1, 3), [0.0615, 0.7923]);
    close(wilsonInterval(5, 10), [0.2366, 0.7634]);
    close(wilsonInterval(0, 3), [0, 0.5615]);
  });

  it('a probe holds on a strict majority of its replications', () => {
    assert.equal(probeHolds(shareMeeting([true, true, false])), true);
    assert.equal(probeHolds(shareMeeting([true, false])), false);
    assert.equal(probeHolds(shareMeeting([true])), true);
  });
});

describe('--hardware specifications', () => {
  it('cores=16,ramGiB=64', () => {
    assert.deepEqual(parseHardwareSpec('cores=16,ramGiB=64'), { hardware: { cores: 16, ramGiB: 64, label: 'cores=16,ramGiB=64' } });
    assert.deepEqual(parseHardwareSpec('RAMGIB=0.5, cores=1_024'), { hardware: { cores: 1024, ramGiB: 0.5, label: 'cores=1024,ramGiB=0.5' } });
  });

  it('every problem at once, with the text as written', () => {
    const r = parseHardwareSpec('cores=2.5,disk=3,ramGiB=-1');
    assert.ok('problems' in r);
    assert.deepEqual(r.problems, [
      '--hardware: cores expected a whole number of cores up to 1,000,000, got "2.5"',
      '--hardware: expected cores=N or ramGiB=N, got "disk=3" (unknown key "disk")',
      '--hardware: ramGiB expected a positive number of GiB up to 1,000,000, got "-1"',
    ]);
  });

  it('an instance of the shipped catalog, and the closest names for one that is not', () => {
    const compute = loadCatalogs(readDefaultCatalogTexts()).compute;
    // data/prices/compute.csv: Hetzner EU CCX43, 16 vCPU, 64 GiB.
    const found = hardwareFromCatalog('ccx43', compute);
    assert.ok('hardware' in found);
    assert.equal(found.hardware.cores, 16);
    assert.equal(found.hardware.ramGiB, 64);
    assert.match(found.hardware.label, /^Hetzner EU CCX43/);
    const missing = hardwareFromCatalog('CCX44', compute);
    assert.ok('problems' in missing);
    assert.match(missing.problems[0]!, /no instance "CCX44" in the compute catalogs; the closest: CCX43, CCX13, CCX23, CCX33, CCX53/);
  });
});

describe('hardwareCapacity', () => {
  const scenario = validateScenario({
    name: 'fake',
    description: 'A scenario for the capacity search; no simulation runs.',
    population: { users: 1000 },
    rooms: { kinds: [{ name: 'group', count: 5, members: { kind: 'deterministic', value: 6 } }] },
    run: { days: 0.25, binMinutes: 60 },
  });
  assert.ok(scenario.ok);

  it('a probe is tasks of structured-cloneable arguments, one per replication, seeded SEED/r', () => {
    const tasks = probeTasks(scenario.scenario, 5000, { seed: '7', replications: 2, sha256: 'abc', version: 'v' });
    assert.deepEqual(structuredClone(tasks), tasks);
    assert.deepEqual(
      tasks.map((t) => [t.name, (t.args[0] as { population: { users: number } }).population.users, t.args[1], t.args[2]]),
      [
        ['capacityRun', 5000, '7/0', 1],
        ['capacityRun', 5000, '7/1', 1],
      ],
    );
  });

  it('brackets with known outcomes: the probes, the share meeting at each end and what runs out', async () => {
    // test/experiments/fake-capacity-run.ts: replication r needs ceil(users (10 + r) / 10,000) cores; 16 cores given.
    // 1000 .. 8000 hold 3/3; 16,000 holds only for r = 0 (16, 18, 20 cores): fails 1/3.
    // sqrt(8000 x 16,000) -> 11,314 holds 3/3 (12, 13, 14); sqrt(11,314 x 16,000) -> 13,455 holds 2/3 (14, 15, 17);
    // sqrt(13,455 x 16,000) -> 14,672 fails 1/3 (15, 17, 18); 14,672 / 13,455 - 1 = 0.09 <= 0.1: done.
    const order: number[] = [];
    const h = await hardwareCapacity(
      scenario.scenario,
      { cores: 16, ramGiB: 64, label: 'test' },
      {
        seed: 's',
        replications: 3,
        sha256: '',
        version: 'test',
        task: { module: new URL('./fake-capacity-run.ts', import.meta.url).href, name: 'fakeCapacityRun' },
        onProbe: (p) => order.push(p.users),
      },
    );
    assert.deepEqual(order, [1000, 2000, 4000, 8000, 16_000, 11_314, 13_455, 14_672]);
    assert.deepEqual(
      h.probes.map((p) => p.meeting.met),
      [3, 3, 3, 3, 1, 3, 2, 1],
    );
    assert.deepEqual(h.bracket, [13_455, 14_672]);
    assert.deepEqual(
      h.holding?.replications.map((r) => r.seed),
      ['s/0', 's/1', 's/2'],
    );
    close(h.holding?.meeting.wilson95 ?? [], [0.2077, 0.9385]);
    close(h.failing?.meeting.wilson95 ?? [], [0.0615, 0.7923]);
    assert.equal(h.shortfall?.resource, 'cores');
    assert.equal(h.shortfall?.component, 'sync');
    assert.equal(h.shortfall?.replications, 2);
    assert.match(
      h.shortfall?.text ?? '',
      /^cores: at 14,672 users the recommended deployment takes 17-18 cores \(PostgreSQL's 1 included\) of the 16; .*most in the sync processes; RAM 1 GiB of 64 \(2 of 3 replications\)$/,
    );
  });
});
