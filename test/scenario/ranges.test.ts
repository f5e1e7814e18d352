/**
 * Every number of the scenario grammar has a range (src/scenario/grammar.ts),
 * printed in the JSON Schema of `mxsim schema` and in docs/MODEL.md
 * ("Ranges"); the shipped scenarios lie within them.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchema } from '../../src/cli/schema.js';
import { MAX_REPLICATIONS, MAX_USERS } from '../../src/scenario/grammar.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { messages } from '../../src/scenario/messages.js';
import type { Problem } from '../../src/scenario/problem.js';
import { validateScenario } from '../../src/scenario/validate.js';

/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access --
   These tests edit scenario documents as untyped JSON, so minimal() is `any` on purpose. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function minimal(): any {
  return {
    name: 'minimal',
    description: 'smallest valid scenario',
    population: { users: 100 },
    rooms: { kinds: [{ name: 'team', count: 5, members: { kind: 'deterministic', value: 10 } }] },
  };
}

const problemsOf = (input: unknown): Problem[] => {
  const r = validateScenario(input);
  return r.ok ? [] : r.problems;
};

interface SchemaNode {
  type?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
  maxItems?: number;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
}

describe('ranges', () => {
  it('every number of the JSON Schema has a minimum and a maximum, every list of numbers or objects a maximum length', () => {
    const unbounded: string[] = [];
    let numbers = 0;
    const walk = (n: SchemaNode, path: string) => {
      if (n.type === 'number' || n.type === 'integer') {
        numbers++;
        if (n.minimum === undefined && n.exclusiveMinimum === undefined) unbounded.push(`${path} (no minimum)`);
        if (n.maximum === undefined && n.exclusiveMaximum === undefined) unbounded.push(`${path} (no maximum)`);
      }
      if (n.type === 'array' && n.items?.type !== 'string' && n.maxItems === undefined) unbounded.push(`${path} (no maxItems)`);
      for (const [k, child] of Object.entries(n.properties ?? {})) walk(child, `${path}.${k}`);
      if (n.items) walk(n.items, `${path}[]`);
      for (const [i, alt] of [...(n.anyOf ?? []), ...(n.oneOf ?? [])].entries()) walk(alt, `${path}|${i}`);
    };
    walk(scenarioJsonSchema(), '');
    assert.deepEqual(unbounded, []);
    assert.ok(numbers > 100, `${numbers} numbers in the schema`);
  });

  it('refuses values beyond a few ranges, with the range in the message', () => {
    const s = minimal();
    s.population.users = MAX_USERS + 1;
    s.run = { replications: MAX_REPLICATIONS + 1, binMinutes: 0.5, days: 367 };
    s.behaviour = { reactionsPerMessage: 101, messageBytes: { kind: 'lognormal', mean: 70_000, cv: 11 } };
    s.population.classes = Array.from({ length: 256 }, (_, i) => ({ name: `c${i}`, share: 1 / 256, messagesPerDay: 1 }));
    s.cost = { rates: ['USD:EUR=1e999'] };
    assert.deepEqual(
      problemsOf(s).map((p) => `${p.path}: ${p.rule}, got ${p.received}`),
      [
        `population.users: ${messages.numberAtMost(10_000_000)}, got 10000001`,
        `population.classes: ${messages.itemsAtMost(255)}, got ${JSON.stringify(s.population.classes).slice(0, 57)}...`,
        `behaviour.messageBytes.mean: ${messages.numberAtMost(65_536)}, got 70000`,
        `behaviour.messageBytes.cv: ${messages.numberAtMost(10)}, got 11`,
        `behaviour.reactionsPerMessage: ${messages.numberAtMost(100)}, got 101`,
        `run.days: ${messages.numberAtMost(366)}, got 367`,
        `run.binMinutes: ${messages.numberAtLeast(1)}, got 0.5`,
        `run.replications: ${messages.numberAtMost(1000)}, got 1001`,
        'cost.rates[0]: a rate from 0.000001 to 1000000, e.g. "USD:EUR=0.92", got "USD:EUR=1e999"',
      ],
    );
  });

  it('the shipped scenarios are within every range', async () => {
    const dir = fileURLToPath(new URL('../../scenarios/', import.meta.url));
    for (const file of readdirSync(dir)) {
      const loaded = await loadScenarioFile(`${dir}${file}`);
      assert.ok(loaded.scenario.population.users <= MAX_USERS, file);
    }
  });
});
