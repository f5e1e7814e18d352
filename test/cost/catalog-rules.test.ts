/**
 * What a price catalog may hold (src/cost/catalog-schema.ts): its columns,
 * the range of each value, its size. Every refused case is compared with
 * its message function, as FILE:LINE: column N (NAME) with the value as
 * written, and exits 3 (catalog.invalid).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  KINDS,
  LABOUR_USE_RULES,
  MAX_CATALOG_BYTES,
  MAX_CATALOG_COLUMNS,
  MAX_CATALOG_ROWS,
  RANGES,
  STORAGE_CLASSES,
  type CatalogProblem,
  type Catalogs,
  type ComputeRow,
} from '../../src/cost/catalog-schema.js';
import { loadCatalogs, mergeCatalogs, readCatalogFile } from '../../src/cost/catalog.js';
import { CatalogError } from '../../src/cost/errors.js';
import { costMessages as m } from '../../src/cost/messages.js';
import { EXIT } from '../../src/errors.js';
import { COMPUTE } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'mxsim-catalog-rules-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The CatalogError of loading these files (it must throw one, with code catalog.invalid and exit 3). */
function refused(files: Record<string, string>): CatalogError {
  try {
    loadCatalogs(Object.entries(files).map(([file, text]) => ({ file, text })));
  } catch (e) {
    if (!(e instanceof CatalogError)) throw e;
    assert.deepEqual([e.code, e.exitCode], ['catalog.invalid', EXIT.invalidInput]);
    return e;
  }
  assert.fail('expected a CatalogError');
}

/** `[line, column, name, message]` of each problem, for compact comparisons. */
const brief = (problems: readonly CatalogProblem[]) => problems.map((p) => [p.line, p.column, p.columnName, p.message]);

const COMPUTE_HEADER = 'provider,region,instance,vcpu,ram_gib,price_month,currency,vat_included,source,as_of';
const computeColumns = [...KINDS.compute.required, ...KINDS.compute.optional];

test('an unknown column is refused with the known name it is closest to; an unnamed or repeated one with its positions', () => {
  // The misspelt optional `regoin` used to be ignored, so the row matched every region.
  const misspelt = `provider,regoin,instance,vcpu,ram_gib,price_month,currency,vat_included,source,as_of
Testcloud,r1,small,2,4,10,EUR,false,test,2026-01-01
`;
  const e = refused({ 'mine.csv': misspelt });
  assert.deepEqual(brief(e.problems), [[1, 2, 'regoin', m.unknownColumn('region', computeColumns)]]);
  assert.equal(m.catalogProblem(e.problems[0]!), 'mine.csv:1: column 2 (regoin): unknown column; did you mean region?');

  const odd = `${COMPUTE_HEADER},colour,,region,vcpu
Testcloud,r1,small,2,4,10,EUR,false,test,2026-01-01,blue,,r1,2
`;
  assert.deepEqual(brief(refused({ 'odd.csv': odd }).problems), [
    [1, 11, 'colour', m.unknownColumn(undefined, computeColumns)],
    [1, 12, '', m.unnamedColumn()],
    [1, 13, 'region', m.repeatedColumn(2, 13)],
    [1, 14, 'vcpu', m.repeatedColumn(4, 14)],
  ]);
  assert.equal(m.catalogProblem(refused({ 'odd.csv': odd }).problems[2]!), 'odd.csv:1: column 13 (region): column given twice, as columns 2 and 13');

  // With a kind column, a column of any kind is known; a misspelt required one is also missing.
  const mixed = `kind,provider,instance,vpcu,ram_gib,price_month,price_gib,product,currency,vat_included,source,as_of
network,Testcloud,,,,,0.01,egress,EUR,false,test,2026-01-01
`;
  const every = ['kind', ...new Set(Object.values(KINDS).flatMap((k) => [...k.required, ...k.optional]))];
  assert.deepEqual(brief(refused({ 'mixed.csv': mixed }).problems), [[1, 4, 'vpcu', m.unknownColumn('vcpu', every)]]);
});

test('impossible compute, storage, network and managed PostgreSQL rows: each value as written, with its range', () => {
  const compute = `${COMPUTE_HEADER},price_hour
Testcloud,r1,zero-cpu,0,4,10,EUR,false,test,2026-01-01,
Testcloud,r1,zero-ram,2,0,10,EUR,false,test,2026-01-01,
Testcloud,r1,free,2,4,0,EUR,false,test,2026-01-01,
Testcloud,r1,negative,2,4,-5,EUR,false,test,2026-01-01,
Testcloud,r1,huge,1e999,4,10,EUR,false,test,2026-01-01,
Testcloud,r1,hex,2,4,0x10,EUR,false,test,2026-01-01,
Testcloud,r1,free-hour,2,4,,EUR,false,test,2026-01-01,0
,r1,,2,4,10,EUR,false,test,2026-01-01,
Testcloud,r1\u001b[31m,ansi,2,4,10,EUR,false,test,2026-01-01,
`;
  const month = 'a price per month (or price_hour)';
  assert.deepEqual(brief(refused({ 'c.csv': compute }).problems), [
    [2, 4, 'vcpu', m.outOfRange('a vCPU count', RANGES.vcpu, '0')],
    [3, 5, 'ram_gib', m.outOfRange('RAM in GiB', RANGES.ramGiB, '0')],
    [4, 6, 'price_month', m.outOfRange(month, RANGES.unitPrice, '0')],
    [5, 6, 'price_month', m.outOfRange(month, RANGES.unitPrice, '-5')],
    [6, 4, 'vcpu', m.outOfRange('a vCPU count', RANGES.vcpu, '1e999')],
    [7, 6, 'price_month', m.expectedValue(month, '0x10')],
    [8, 11, 'price_hour', m.outOfRange('a price per hour', RANGES.unitPrice, '0')],
    [9, 1, 'provider', m.missingValue('a provider name')],
    [9, 3, 'instance', m.missingValue('an instance name')],
    [10, 2, 'region', m.controlCharacter(0x1b)],
  ]);
  assert.equal(m.catalogProblem(refused({ 'c.csv': compute }).problems[0]!), 'c.csv:2: column 4 (vcpu): expected a vCPU count from 0.01 to 4,096, got "0"');
  assert.equal(m.controlCharacter(0x1b), 'contains a control character (U+001B); catalog text is printed on terminals and in reports');
  // Free text may span lines (the row of two lines is lines 2-3), but holds no other control character.
  const notes = `${COMPUTE_HEADER},notes
Testcloud,r1,small,2,4,10,EUR,false,test,2026-01-01,"two
lines	tabbed"
Testcloud,r1,bell,2,4,10,EUR,false,test,2026-01-01,ring
`;
  assert.deepEqual(brief(refused({ 'notes.csv': notes }).problems), [[4, 11, 'notes', m.controlCharacter(0x07)]]);

  const storage = `provider,region,product,type,class,price_gib_month,included_gib,base_month,tier_from_gib,currency,vat_included,source,as_of
Testcloud,r1,disk,block,fast,0.1,,,,EUR,false,test,2026-01-01
Testcloud,r1,disk,block,SSD,-0.1,-1,,1e10,EUR,false,test,2026-01-01
Testcloud,r1,included,block,ssd,0,0,0,0,EUR,false,test,2026-01-01
`;
  assert.deepEqual(brief(refused({ 's.csv': storage }).problems), [
    [2, 5, 'class', m.expectedOneOf(STORAGE_CLASSES, 'fast')],
    [3, 6, 'price_gib_month', m.outOfRange('a price per GiB-month', RANGES.gibPrice, '-0.1')],
    [3, 7, 'included_gib', m.outOfRange('GiB', RANGES.gib, '-1')],
    [3, 9, 'tier_from_gib', m.outOfRange('GiB', RANGES.gib, '1e10')],
  ]);

  const postgres = `provider,region,item,plan,vcpu,ram_gib,price_month,storage_gib,storage_price_gib_month,currency,vat_included,source,as_of
Testcloud,r1,instance,tiny,0.001,1,15,0,,EUR,false,test,2026-01-01
Testcloud,r1,storage,disk,,,,,-1,EUR,false,test,2026-01-01
`;
  assert.deepEqual(brief(refused({ 'pg.csv': postgres }).problems), [
    [2, 5, 'vcpu', m.outOfRange('a vCPU count', RANGES.vcpu, '0.001')],
    [2, 8, 'storage_gib', m.outOfRange('GiB included in the plan', RANGES.planStorageGiB, '0')],
    [3, 9, 'storage_price_gib_month', m.outOfRange('a price per GiB-month', RANGES.gibPrice, '-1')],
  ]);

  // A price of 0 per GiB is an included allowance (OVHcloud's egress in data/prices), not a mistake.
  const network = `provider,region,product,price_gib,free_gib_month,currency,vat_included,source,as_of
Testcloud,,egress,0,,EUR,false,test,2026-01-01
`;
  assert.equal(loadCatalogs([{ file: 'n.csv', text: network }]).network[0]!.priceGiB, 0);
});

test('impossible SaaS and labour rows: prices, seats, and the unit and range each use needs', () => {
  const saas = `vendor,plan,price_user_month,currency,billing,min_users,max_users,vat_included,source,as_of
Chatco,Free,0,EUR,annual,,,false,test,2026-01-01
Chatco,Team,5,EUR,annual,10,5,false,test,2026-01-01
Chatco,Odd,5,EUR,annual,1.5,0,false,test,2026-01-01
`;
  assert.deepEqual(brief(refused({ 'saas.csv': saas }).problems), [
    [2, 3, 'price_user_month', m.outOfRange('a price per user per month', RANGES.unitPrice, '0')],
    [3, 7, 'max_users', m.maxBelowMin('5', '10')],
    [4, 6, 'min_users', m.outOfRange('a user count', RANGES.minUsers, '1.5')],
    [4, 7, 'max_users', m.outOfRange('a user count', RANGES.maxUsers, '0')],
  ]);
  assert.equal(m.outOfRange('a user count', RANGES.minUsers, '1.5'), 'expected a user count from 0 to 1,000,000,000 (a whole number), got "1.5"');

  const labour = `item,use,value,unit,currency,source,as_of
wage,wage,0,per hour,USD,test,2026
wage,wage,50,per month,USD,test,2026
loading,loading,0.5,multiple of wage,,test,2026
loading,loading,25,percent,,test,2026
hours,hours,800,hours per month,,test,2026
hours,hours,5,hours per week,,test,2026
claim,claim,15000000,per year,EUR,test,2026
`;
  const R = LABOUR_USE_RULES;
  assert.deepEqual(brief(refused({ 'labour.csv': labour }).problems), [
    [2, 3, 'value', m.outOfRange('a wage', R.wage.range, '0')],
    [3, 4, 'unit', m.labourUnit('wage', R.wage.units!, 'per month')],
    [4, 3, 'value', m.outOfRange('a loading', R.loading.range, '0.5')],
    [5, 3, 'value', m.outOfRange('a loading', R.loading.range, '25')],
    [5, 4, 'unit', m.labourUnit('loading', R.loading.units!, 'percent')],
    [6, 3, 'value', m.outOfRange('hours per month', R.hours.range, '800')],
    [7, 4, 'unit', m.labourUnit('hours', R.hours.units!, 'hours per week')],
  ]);
  assert.equal(m.outOfRange('hours per month', R.hours.range, '800'), 'expected hours per month from 0 to 744, got "800"');
});

test('size: a file over 20 MiB is not read past its limit, nor one of too many rows or columns parsed', () => {
  assert.equal(MAX_CATALOG_BYTES, 20 * 1024 ** 2);
  const tooLarge = m.catalogTooLarge(MAX_CATALOG_BYTES, MAX_CATALOG_ROWS);
  assert.equal(tooLarge, 'file too large: a catalog may have at most 20 MiB (20,971,520 bytes) and 200,000 rows; split it into several --prices files');
  // On disk, as mxsim cost and mxsim run read a --prices file (loadCostCatalogs): up to one byte past the limit.
  const big = join(dir, 'big.csv');
  writeFileSync(big, `${COMPUTE_HEADER}\n${'x'.repeat(MAX_CATALOG_BYTES)}\n`);
  assert.equal(readCatalogFile(big).length, MAX_CATALOG_BYTES + 1);
  assert.throws(
    () => loadCatalogs([{ file: big, text: readCatalogFile(big) }]),
    (e: unknown) => e instanceof CatalogError && e.exitCode === EXIT.invalidInput && e.message === `${m.catalogHeadline(1)}\n  ${big}:1: ${tooLarge}`,
  );
  // In memory: bytes are counted, not characters (each "é" is two bytes in UTF-8).
  const accents = `${COMPUTE_HEADER}\n${'é'.repeat(MAX_CATALOG_BYTES / 2 + 1)}\n`;
  assert.deepEqual(brief(refused({ 'accents.csv': accents }).problems), [[1, null, null, tooLarge]]);
  // Rows: counted before any is parsed, so this is quick; blank lines and line breaks in quotes are not rows.
  const rows = `${COMPUTE_HEADER}\n${'x\n'.repeat(MAX_CATALOG_ROWS + 1)}`;
  assert.deepEqual(brief(refused({ 'rows.csv': rows }).problems), [[1, null, null, m.tooManyRows(MAX_CATALOG_ROWS)]]);
  const quoted = `${COMPUTE_HEADER}\nTestcloud,r1,small,2,4,10,EUR,false,"${'\n'.repeat(MAX_CATALOG_ROWS + 1)}",2026-01-01\n\n\n`;
  assert.equal(loadCatalogs([{ file: 'quoted.csv', text: quoted }]).compute.length, 1);
  const columns = `${Array.from({ length: MAX_CATALOG_COLUMNS + 1 }, (_, i) => `c${i}`).join(',')}\n`;
  assert.deepEqual(brief(refused({ 'columns.csv': columns }).problems), [[1, null, null, m.tooManyColumns(MAX_CATALOG_COLUMNS + 1, MAX_CATALOG_COLUMNS)]]);
});

test('merging catalogs of hundreds of thousands of rows does not overflow the stack', () => {
  // mergeCatalogs spread each list into push(), which throws RangeError past about 100,000 arguments.
  const [row] = loadCatalogs([{ file: 'c.csv', text: COMPUTE }]).compute as [ComputeRow];
  const part = (n: number): Catalogs => ({ compute: Array<ComputeRow>(n).fill(row), storage: [], network: [], managedPostgres: [], saas: [], labour: [], files: [] });
  assert.equal(mergeCatalogs([part(250_000), part(250_000)]).compute.length, 500_000);
});

test('a catalog broken on every line lists its first 100 problems and counts the rest', () => {
  const rows = Array.from({ length: 250 }, (_, i) => `Acme,eu,i${i},zero,4,10,EUR,false,test,2026-01`);
  const text = ['provider,region,instance,vcpu,ram_gib,price_month,currency,vat_included,source,as_of', ...rows].join('\n') + '\n';
  let error: unknown;
  try {
    loadCatalogs([{ file: 'big.csv', text }]);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof CatalogError);
  assert.equal(error.problems.length, 250);
  const lines = error.message.split('\n');
  assert.equal(lines.length, 1 + 100 + 1);
  assert.equal(lines.at(-1), `  ${m.moreCatalogProblems('big.csv', 150, 100)}`);
});

test('a catalog with bytes that are not UTF-8 is refused at its line (a provider name would become U+FFFD)', () => {
  const file = join(dir, 'not-utf8.csv');
  writeFileSync(file, Buffer.concat([Buffer.from(COMPUTE.split('\n')[0] + '\nAcme'), Buffer.from([0xff]), Buffer.from(',eu,i1,2,4,0.1,73,EUR,false,x,src,2026-01,ok,\n')]));
  assert.throws(
    () => readCatalogFile(file),
    (e: unknown) => e instanceof CatalogError && e.problems.length === 1 && e.problems[0]?.line === 2 && e.problems[0].message === m.notUtf8(0xff, 5),
  );
});
