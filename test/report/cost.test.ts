/**
 * The cost of a run in the report: summary.json's `cost`, data/cost.json,
 * and the cost section of the page and the Markdown.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CostReport } from '../../src/cost/cost-report.js';
import type { RunSummary } from '../../src/cost/run.js';
import { reportFiles } from '../../src/report/files.js';
import { costSection } from '../../src/report/cost-section.js';
import { renderReport } from '../../src/report/render.js';
import { escapeHtml, escapeMarkdown } from '../../src/report/text.js';
import { costedFixture, small } from './fixtures.js';

const fx = costedFixture(small);
const meta = { version: 'test', overrides: [] };
const cost = fx.run.summary.cost;
const money = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

test('summary.json carries the trimmed cost; data/cost.json the full report', () => {
  const files = reportFiles(fx.run, fx.scenario);
  const summary = JSON.parse(files.get('summary.json')!) as RunSummary;
  assert.deepEqual(Object.keys(summary).at(-1), 'cost');
  const c = summary.cost;
  assert.ok(c);
  for (const k of [
    'currency',
    'vatIncluded',
    'billing',
    'horizonMonths',
    'rates',
    'provider',
    'selfHost',
    'alternatives',
    'saas',
    'breakEven',
    'sensitivity',
    'notes',
    'excludedRows',
  ]) {
    assert.ok(k in c, k);
  }
  assert.ok(c.selfHost && c.saas && c.alternatives);
  for (const k of ['monthly', 'perUserMonthly', 'horizonTotal', 'breakdown'] as const) assert.equal(typeof c.selfHost[k], k === 'breakdown' ? 'object' : 'number', k);
  for (const s of c.saas) for (const k of ['vendor', 'plan', 'monthly', 'horizonTotal']) assert.ok(k in s, k);
  for (const a of c.alternatives)
    assert.deepEqual(
      Object.keys(a).filter((k) => !['provider', 'region', 'monthly', 'horizonTotal'].includes(k)),
      [],
    );
  assert.equal(c.currency, 'USD');
  // The EUR offers are converted with the inverse of the rate given, and say so.
  assert.ok(c.rates.some((r) => r.stated === 'USD:EUR=0.92' && r.inverse));
  const full = JSON.parse(files.get('data/cost.json')!) as CostReport;
  assert.ok(full.selfHost);
  assert.equal(full.selfHost.horizonTotal, c.selfHost.horizonTotal);
  assert.equal(full.selfHost.byMonth.length, fx.scenario.run.horizonMonths);
  assert.equal(full.excluded.length, c.excludedRows);
  // Nothing in it depends on the clock.
  assert.equal(reportFiles(costedFixture(small).run, fx.scenario).get('summary.json'), files.get('summary.json'));
});

test('the cost section says currency, rates, provider, monthly, per user, horizon total, SaaS, break-even, sensitivity and notes', async () => {
  const section = costSection(fx.run.summary)!;
  assert.ok(section.sentence.startsWith(`Self-hosting on ${cost.provider} costs ${money(cost.selfHost!.monthly)} USD in month 1`));
  const out = await renderReport(fx.run, fx.scenario, meta, { charts: [] });
  const html = out.get('index.html') as string;
  const md = out.get('summary.md') as string;
  assert.match(html, /<h3 id="cost">Cost<\/h3>\n<div class="slot" data-slot="cost">/);
  assert.match(html, /<a href="#cost">Cost<\/a>/);
  for (const doc of [html, md]) {
    for (const text of [
      'USD, excl. VAT',
      '1 EUR = 1.08696 USD (inverse of USD:EUR=0.92)',
      cost.provider!,
      `${money(cost.selfHost!.monthly)} USD`,
      `${money(cost.selfHost!.perUserMonthly)} USD`,
      `${money(cost.selfHost!.horizonTotal)} USD`,
      'SaaS plans',
      'break-even month',
      'What moves the self-hosting total most',
      cost.sensitivity!.inputs[0]!.input,
      cost.breakEven![0]!.statement,
      cost.notes[0]!,
    ]) {
      assert.ok(doc.includes(doc === html ? escapeHtml(text) : escapeMarkdown(text)), `${doc === html ? 'html' : 'md'}: ${text}`);
    }
  }
  // The headline has the self-hosting cost too.
  assert.match(html, /<span class="label">self-hosting per month<\/span><span class="value">[\d,.]+ USD<\/span>/);
});

test('a cost that could not be computed says why, in the headline item and the section', async () => {
  // Without reference rates (these catalogs have none), a GBP report of USD and EUR prices has no rate. (EUR no longer
  // fails: the EUR providers and the euro-area labour cost price it without a rate.)
  const failed = costedFixture(small, { currency: 'GBP' });
  const c = failed.run.summary.cost;
  assert.deepEqual([c.selfHost, c.saas, c.alternatives, c.breakEven, c.sensitivity, c.provider, c.excludedRows], [null, null, null, null, null, null, null]);
  assert.equal(c.currency, 'GBP');
  assert.equal(reportFiles(failed.run, failed.scenario).has('data/cost.json'), false);
  const out = await renderReport(failed.run, failed.scenario, meta, { charts: [] });
  const html = out.get('index.html') as string;
  assert.match(html, /The cost was not computed/);
  assert.ok(html.includes(escapeHtml('add --rate USD:GBP=')));
  assert.match(html, /self-hosting per month<\/span><span class="value">not computed/);
});
