import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatNumber } from '../../src/format/index.js';
import { bitRateUnit, byteUnit, escapeHtml, escapeMarkdown, formatBitRate, formatCi, formatValue } from '../../src/report/text.js';
import { textWidth } from '../../src/report/text-metrics.js';

test('escapeHtml escapes the five special characters', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('escapeMarkdown makes markup and table syntax inert, on one line', () => {
  assert.equal(escapeMarkdown('<b>x</b> | *y* [l](u)\nnext'), '&lt;b&gt;x&lt;/b&gt; \\| \\*y\\* \\[l\\](u) next');
  assert.equal(escapeMarkdown('# not a heading'), '\\# not a heading');
  assert.equal(escapeMarkdown('- not a list'), '\\- not a list');
  assert.equal(escapeMarkdown('a - b (c)'), 'a - b (c)');
});

test('numbers: counts, small numbers, bounds, missing intervals', () => {
  assert.equal(formatNumber(1234567.8), '1,234,568');
  assert.equal(formatNumber(0.001234), '0.00123');
  assert.equal(formatNumber(NaN), '–');
  assert.equal(formatValue(-0.3, 'count'), '0');
  assert.equal(formatCi({ mean: 1, ci95: [NaN, NaN] }, 'count'), '–');
  assert.equal(formatCi({ mean: 2048, ci95: [1024, 3072] }, 'bytes'), '1.00 KiB – 3.00 KiB');
});

test('display units: binary bytes, decimal bit rates', () => {
  assert.equal(byteUnit(5 * 1024 ** 3).label, 'GiB');
  assert.equal(byteUnit(10).label, 'B');
  assert.equal(bitRateUnit(7.5e6).label, 'Mbit/s');
  assert.equal(bitRateUnit(999).label, 'bit/s');
  assert.equal(formatBitRate(125_000), '1 Mbit/s');
});

test('text widths follow DejaVu Sans: digits are 0.636 em, bold is wider', () => {
  assert.ok(Math.abs(textWidth('0', 10) - 6.362) < 1e-9);
  assert.ok(textWidth('Mon 09:00', 11, true) > textWidth('Mon 09:00', 11));
  assert.ok(textWidth('é', 10) > 0);
});
