/**
 * Every shipped scenario loads, validates and simulates (STYLE.md convention
 * 9), so the examples never rot; two of them pin a fingerprint of their
 * results. national-300000 is simulated at its full size (about 100 s for
 * one replication on an idle machine) on purpose: it is the scenario that
 * exercises the largest arrays and the longest event list.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../src/analysis/run.js';
import { reportFiles } from '../../src/report/files.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

const dir = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the scenarios folder has the shipped scenarios', () => {
  // A renamed or deleted scenario should be a deliberate change here too.
  for (const name of ['team-50', 'company-2000', 'community-server', 'healthcare-network', 'ministry-20000', 'university-30000', 'national-300000']) {
    assert.ok(files.includes(`${name}.json`), `scenarios/${name}.json is missing`);
  }
});

for (const file of files) {
  test(`scenarios/${file} loads, validates and simulates`, async () => {
    const loaded = await loadScenarioFile(`${dir}${file}`);
    const s = loaded.scenario;
    assert.equal(`${s.name}.json`, file, 'the report folder is named after the file');
    const run = runScenario(s, { replications: 1, sha256: loaded.sha256, overrides: [], version: 'test', verify: false });
    const sum = run.summary;
    const t = sum.traffic;
    const f = t.federation;

    assert.equal(sum.replications, 1);
    assert.equal(sum.world.users, s.population.users);
    assert.ok(sum.world.rooms > 0 && sum.world.memberships > 0);
    const messages = t.eventsPerDay['m.room.message']!.mean + t.eventsPerDay['m.room.encrypted']!.mean;
    assert.ok(messages > 0, 'messages are sent');
    assert.ok(sum.activity.peakOnlineShare.mean > 0, 'someone comes online');
    assert.ok(t.client.bytesOutPerDay.mean > 0 && t.client.syncResponsesPerDay.mean > 0, 'clients sync');
    assert.ok(sum.storage.bytesPerDay.mean > 0, 'storage grows during the day');
    assert.ok(sum.storage.bytesAtEnd.mean > sum.storage.bytesAtStart.mean, 'storage at the horizon exceeds storage at the start');
    assert.equal(run.storage.length, s.run.horizonMonths + 1);

    // Federation limits hold in every shipped scenario (calibration notes §1).
    assert.ok(f.maxPdusPerTransaction <= 50, `max PDUs per transaction ${f.maxPdusPerTransaction}`);
    assert.ok(f.maxEdusPerTransaction <= 100, `max EDUs per transaction ${f.maxEdusPerTransaction}`);
    assert.equal(f.overlappingTransactions, 0);

    if (s.federation.mode === 'closed') {
      assert.equal(sum.world.remoteServers, 0);
      for (const [what, stat] of Object.entries({
        pdusSent: f.pdusSentPerDay,
        edusSent: f.edusSentPerDay,
        transactionsSent: f.transactionsSentPerDay,
        failedAttempts: f.failedAttemptsPerDay,
        bytesOut: f.bytesOutPerDay,
        bytesIn: f.bytesInPerDay,
        pdusReceived: f.pdusReceivedPerDay,
        edusReceived: f.edusReceivedPerDay,
        transactionsReceived: f.transactionsReceivedPerDay,
        undelivered: f.undeliveredPdusAtEnd,
      })) {
        assert.equal(stat.mean, 0, `closed federation: ${what}`);
      }
    } else {
      assert.equal(sum.world.remoteServers, s.federation.remoteServers);
      assert.ok(f.pdusSentPerDay.mean > 0 && f.transactionsSentPerDay.mean > 0, 'federated: PDUs go out');
      assert.ok(f.pdusReceivedPerDay.mean > 0, 'federated: PDUs come in');
    }

    // The report renders: every file has content and the summary is JSON.
    const report = reportFiles(run, s);
    for (const [name, text] of report) assert.ok(text.length > 0, `${name} is empty`);
    assert.deepEqual(JSON.parse(report.get('summary.json')!), JSON.parse(JSON.stringify(sum)));
  });
}

/**
 * Fingerprints (OMNeT++-style): the SHA-256 of summary.json for a scenario at
 * seed 1 with its own number of replications. Any change in the model's
 * behaviour (a coefficient, a random draw added or moved, an event handled in
 * another order, a new field in the summary) changes the fingerprint. That is
 * the point: the change must be acknowledged by updating the pinned value in
 * the same commit, saying why the results moved. If only this test fails
 * after a change meant to be a pure refactoring, the refactoring changed
 * behaviour. The version written into the summary is fixed here so that
 * releasing a new version does not move the fingerprint.
 */
const FINGERPRINTS: Record<string, string> = {
  'team-50': '22f6a0bf90ddbac6b62be45e0d3deca9d054ae11f1ddac652688ccad645c2872',
  'company-2000': 'bbfcbbbe79c9671bc448b2fa38b5e853ef2c6d29ade60cecf663d142b2831bf0',
};

for (const [name, expected] of Object.entries(FINGERPRINTS)) {
  test(`fingerprint: ${name} at seed 1`, async () => {
    const loaded = await loadScenarioFile(`${dir}${name}.json`);
    const s = loaded.scenario;
    const run = runScenario(s, { seed: 1, sha256: loaded.sha256, overrides: [], version: 'fingerprint' });
    assert.equal(run.summary.replications, s.run.replications);
    const summary = reportFiles(run, s).get('summary.json')!;
    const actual = createHash('sha256').update(summary).digest('hex');
    assert.equal(actual, expected, `${name}: summary.json fingerprint changed; if the change in behaviour is intended, pin the new value`);
  });
}
