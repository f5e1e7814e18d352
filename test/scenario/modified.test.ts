/**
 * What a run with `--set` is called and how it is described
 * (src/scenario/display.ts), what one field closes when it closes federation
 * (src/scenario/closed-federation.ts), and rooms sized as a share of the
 * users (rooms.kinds[].membersShare): validation and loading only, no world
 * and no simulation.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { displayTitle, scenarioDisplay } from '../../src/scenario/display.js';
import { loadScenarioText, ScenarioError } from '../../src/scenario/load.js';
import { messages } from '../../src/scenario/messages.js';
import { renderValue } from '../../src/scenario/problem.js';

const COMPANY = readFileSync(new URL('../../scenarios/company-2000.json', import.meta.url), 'utf8');
const COMMUNITY = readFileSync(new URL('../../scenarios/community-server.json', import.meta.url), 'utf8');
/** company-2000's own description, as written in the file. */
const COMPANY_DESCRIPTION = (JSON.parse(COMPANY) as { description: string }).description;

describe('a scenario changed by --set', () => {
  it('is titled "modified" with each override as given, and its description keeps the original only after "Based on:"', () => {
    const sets = ['population.users=5000', 'federation.mode=closed'];
    const loaded = loadScenarioText(COMPANY, 'company-2000.json', sets);
    assert.equal(loaded.display.title, 'company-2000 (modified: population.users=5000, federation.mode=closed)');
    assert.deepEqual(loaded.display.modifications, sets);
    // The description as run (report, summary.json, summary.md) is the displayed one.
    assert.equal(loaded.scenario.description, loaded.display.description);
    assert.equal(loaded.scenario.description, messages.modifiedDescription(sets, COMPANY_DESCRIPTION));
    assert.ok(loaded.scenario.description.startsWith('Modified with --set population.users=5000, federation.mode=closed'));
    assert.ok(loaded.scenario.description.endsWith(`Based on: ${COMPANY_DESCRIPTION}`));
    // The name stays the identifier (reports/<name>, compare).
    assert.equal(loaded.scenario.name, 'company-2000');
  });

  it('is the file as written without overrides', () => {
    const loaded = loadScenarioText(COMPANY, 'company-2000.json');
    assert.deepEqual(loaded.display, { title: 'company-2000', description: COMPANY_DESCRIPTION, modifications: [] });
    assert.equal(loaded.scenario.description, COMPANY_DESCRIPTION);
    assert.equal(displayTitle('company-2000', []), 'company-2000');
  });

  it("does not say the same overrides twice (a run folder's scenario.json read back with them)", () => {
    const once = scenarioDisplay('x', 'original', ['a=1']).description;
    assert.equal(scenarioDisplay('x', once, ['a=1']).description, once);
    // Other overrides on top of a modified description: both are said, the latest first.
    assert.equal(scenarioDisplay('x', once, ['b=2']).description, messages.modifiedDescription(['b=2'], once));
  });
});

describe('federation.mode "closed" closes federation everywhere', () => {
  it('validates with one override where three were needed, and warns with what it switched off', () => {
    const loaded = loadScenarioText(COMPANY, 'company-2000.json', ['federation.mode=closed']);
    const s = loaded.scenario;
    assert.equal(s.federation.mode, 'closed');
    assert.equal(s.federation.remoteServers, 0, 'company-2000 federates with 5 servers as written');
    // The partner rooms keep their local members; the world counts none of them remote (docs/MODEL.md "Sizes").
    assert.equal(s.rooms.kinds[5]!.name, 'partner');
    assert.equal(s.rooms.kinds[5]!.count, 30);
    assert.deepEqual(loaded.warnings, [
      `company-2000.json: federation.mode: ${messages.federationClosed([
        messages.switchedOff('federation.remoteServers', '5'),
        messages.switchedOff('rooms.kinds[5].remoteMemberShare', '0.4'),
      ])}`,
    ]);
  });

  it('joins no room created elsewhere and no remote room at random', () => {
    const s = loadScenarioText(COMMUNITY, 'community-server.json', ['federation.mode=closed']).scenario;
    assert.equal(s.federation.remoteServers, 0);
    assert.equal(s.federation.publicRoomJoinsPerDay, 0);
    // community-server's third kind: 25 public rooms hosted remotely (scenarios/community-server.json).
    assert.equal(s.rooms.kinds[2]!.hostedRemotely, true);
    assert.equal(s.rooms.kinds[2]!.count, 0);
    assert.equal(s.rooms.kinds[1]!.count, 4, 'local rooms are kept');
  });

  it('still lists what federates as problems when closed only by default (the mode was more likely forgotten)', () => {
    const input = JSON.parse(COMPANY) as { federation: Record<string, unknown> };
    delete input.federation.mode;
    assert.throws(
      () => loadScenarioText(JSON.stringify(input), 'company-2000.json'),
      (e: unknown) =>
        e instanceof ScenarioError &&
        e.problems.some((p) => p.path === 'federation.remoteServers' && p.rule === messages.zeroWhenClosed() && p.received === '5') &&
        e.problems.some((p) => p.path === 'rooms.kinds[5].remoteMemberShare' && p.received === '0.4'),
    );
  });

  it('changes nothing in a scenario that does not federate', () => {
    const team = readFileSync(new URL('../../scenarios/team-50.json', import.meta.url), 'utf8');
    const loaded = loadScenarioText(team, 'team-50.json');
    assert.deepEqual(loaded.warnings, []);
    assert.deepEqual(
      loaded.scenario.rooms.kinds.map((k) => k.count ?? null),
      [null, 12, 1],
    );
  });
});

describe('rooms.kinds[].membersShare', () => {
  const minimal = (kind: object) => ({
    name: 'share',
    description: 'membersShare',
    population: { users: 100 },
    rooms: { kinds: [{ name: 'all-staff', count: 1, ...kind }] },
  });
  const problems = (input: object, sets: string[] = []) => {
    try {
      loadScenarioText(JSON.stringify(input), 'f.json', sets);
      return [];
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      return e.problems;
    }
  };

  it('is one of members or membersShare, not both, not neither', () => {
    assert.deepEqual(problems(minimal({ membersShare: 1 })), []);
    assert.deepEqual(problems(minimal({})), [{ path: 'rooms.kinds[0]', rule: messages.membersOrShare(), received: messages.receivedNeither() }]);
    assert.deepEqual(problems(minimal({ membersShare: 1, members: { kind: 'deterministic', value: 5 } })), [
      { path: 'rooms.kinds[0]', rule: messages.membersOrShare(), received: renderValue({ membersShare: 1, members: { kind: 'deterministic', value: 5 } }) },
    ]);
    assert.deepEqual(problems(minimal({ membersShare: 0 })), [{ path: 'rooms.kinds[0].membersShare', rule: messages.numberAbove(0), received: '0' }]);
  });

  it('refuses a fixed size above the users, as written or after --set, naming membersShare', () => {
    const fixed = minimal({ members: { kind: 'deterministic', value: 100 } });
    assert.deepEqual(problems(fixed), []);
    assert.deepEqual(problems(fixed, ['population.users=50']), [
      { path: 'rooms.kinds[0].members', rule: messages.localMembersWithinUsers(50, 100, true), received: '{"kind":"deterministic","value":100}' },
    ]);
    assert.match(messages.localMembersWithinUsers(50, 100, true), /"membersShare": 1/);
  });

  it("warns when --set raises the users past a fixed size equal to the file's users", () => {
    const fixed = minimal({ members: { kind: 'deterministic', value: 100 } });
    const loaded = loadScenarioText(JSON.stringify(fixed), 'f.json', ['population.users=500']);
    assert.deepEqual(loaded.warnings, [`f.json: rooms.kinds[0].members: ${messages.staleRoomSize(100, 500)}`]);
    assert.deepEqual(loadScenarioText(JSON.stringify(minimal({ membersShare: 1 })), 'f.json', ['population.users=500']).warnings, []);
  });
});
