/**
 * The deployment diagram: the bill of materials (summary.json
 * `recommendation.components[]`, bill-section.ts) drawn as boxes and links,
 * left to right by tier: the internet (clients, remote servers), the reverse
 * proxy and TURN, the homeserver's processes (one box per kind) with the SFU
 * below them, PostgreSQL and the media store, then the other services (the
 * authentication service and its database, the push gateway, scanner, policy
 * server, moderation bot). Each box says its instances and what each needs;
 * a line links each component to what it serves.
 *
 * `deploymentLayout` places the boxes and links (pure, tested); the chart
 * draws them with rect, rule and text marks on quantitative scales in pixels,
 * and data/deployment.csv holds the same boxes and links. The pages draw it
 * in their Deployment section rather than with the other charts.
 */
import type { TopLevelSpec } from 'vega-lite';
import { formatCount } from '../format/index.js';
import { billComponents, billFigure, billTotals, type BillRow } from './bill-section.js';
import { CHART_CONFIG, header, type Chart, type ChartContext } from './chart-spec.js';
import { toCsv } from './csv.js';
import { componentLabel, recommendationOf } from './recommendation.js';
import { textWidth } from './text-metrics.js';

/** The chart's file stem: charts/deployment.*. */
export const DEPLOYMENT_CHART_NAME = 'deployment';
export const DEPLOYMENT_CSV_PATH = 'data/deployment.csv';

/** What a box is, for its colour and its column. */
export type DiagramGroup = 'internet' | 'reverse proxy' | 'homeserver' | 'storage' | 'calls' | 'other services';

const GROUP_COLORS: Record<DiagramGroup, string> = {
  internet: '#eeeeee',
  'reverse proxy': '#d9d9d9',
  homeserver: '#cfe2f3',
  storage: '#e4d7f1',
  calls: '#fddcbc',
  'other services': '#d9eed3',
};

/** One box: its id (a bill row's index, or `clients`, `remote`), text, group and place in pixels (x, y: top left). */
export interface DiagramBox {
  readonly id: string;
  readonly label: string;
  readonly detail: readonly string[];
  readonly group: DiagramGroup;
  /** The bill row it draws (its index in the bill), or null for the clients and remote servers. */
  readonly component: number | null;
  readonly column: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** One link, from the box that uses to the box that serves (ids), drawn edge to edge. */
export interface DiagramLink {
  readonly from: string;
  readonly to: string;
  readonly x: number;
  readonly y: number;
  readonly x2: number;
  readonly y2: number;
}

export interface DeploymentLayout {
  readonly boxes: readonly DiagramBox[];
  readonly links: readonly DiagramLink[];
  /** The column titles over each column used, at their centre. */
  readonly headers: readonly { readonly text: string; readonly x: number }[];
  readonly width: number;
  readonly height: number;
}

/** What the diagram shows beside the bill: the users it is sized for and whether the server federates. */
export interface DiagramWorld {
  readonly users: number;
  readonly remoteServers: number;
}

export const COLUMN_WIDTH = 196;
export const BOX_WIDTH = 176;
export const BOX_HEIGHT = 50;
const ROW_PITCH = 64;
/** Room above the first row for the column titles. */
const TOP = 26;

/** A column's title from the groups of its boxes: "entry and calls", "storage" ... */
function columnTitle(column: number, groups: ReadonlySet<DiagramGroup>): string {
  const both = (a: string | false, b: string | false) => [a, b].filter((x) => x).join(' and ');
  switch (column) {
    case 0:
      return 'internet';
    case 1:
      return both(groups.has('reverse proxy') && 'entry', groups.has('calls') && 'calls');
    case 2:
      return 'homeserver';
    case 3:
      return both(groups.has('storage') && 'storage', groups.has('other services') && 'services');
    default:
      return 'their databases';
  }
}

/** Column and group of a bill row by its kind; unknown kinds go with the other services. */
function place(kind: string): { column: number; group: DiagramGroup } {
  switch (kind) {
    case 'reverseProxy':
      return { column: 1, group: 'reverse proxy' };
    case 'sfu':
    case 'turn':
      return { column: 1, group: 'calls' };
    case 'homeserver':
      return { column: 2, group: 'homeserver' };
    case 'database':
    case 'mediaStore':
      return { column: 3, group: 'storage' };
    case 'componentDatabase':
      return { column: 4, group: 'other services' };
    default:
      return { column: 3, group: 'other services' };
  }
}

const NAME_FONT_PX = 11;
const DETAIL_FONT_PX = 10;
const LINE_PX = 13;

/** The text as it fits in a box (DejaVu Sans widths, text-metrics.ts): cut with "…" when too wide. */
export function fitText(text: string, fontSize: number, bold = false, width = BOX_WIDTH - 8): string {
  if (textWidth(text, fontSize, bold) <= width) return text;
  let cut = text;
  while (cut.length > 1 && textWidth(`${cut}…`, fontSize, bold) > width) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/**
 * A component's name made short for its box: a homeserver process kind in
 * words without the implementation ("synapse sync" is "sync workers"; a
 * multi-threaded server keeps its name), and "Matrix Authentication Service"
 * is MAS.
 */
function shortName(r: BillRow): string {
  if (r.kind === 'homeserver') {
    const space = r.name.indexOf(' ');
    return space > 0 ? componentLabel(r.name.slice(space + 1)) : r.name;
  }
  return r.name.replace(/Matrix Authentication Service/g, 'MAS');
}

/** "1.03 cores, 0.286 GiB each" (no "each" for one instance), then disk and bandwidth when there are any. */
function details(r: BillRow): string[] {
  const each = r.count > 1 ? ' each' : '';
  const compute = r.cores > 0 || r.ramGiB > 0;
  const lines = compute ? [`${billFigure(r.cores)} core${r.cores === 1 ? '' : 's'}, ${billFigure(r.ramGiB)} GiB${each}`] : [];
  const more = [r.diskGiB > 0 ? `${billFigure(r.diskGiB)} GiB disk` : '', r.bandwidthMbps > 0 ? `${billFigure(r.bandwidthMbps)} Mbit/s out` : ''].filter((x) => x);
  if (more.length > 0) lines.push(more.join(', ') + (compute ? '' : each));
  return lines.map((l) => fitText(l, DETAIL_FONT_PX));
}

/**
 * Boxes and links of the bill: each component once, in the column of its
 * tier, stacked in bill order: the internet (clients, remote servers); the
 * reverse proxy, then the SFU and TURN; the homeserver's processes; PostgreSQL,
 * the media store and the other services; the services' own databases, each
 * beside its service. Links, each between neighbouring columns or within one
 * so that no line crosses a box: clients and remote servers to the reverse
 * proxy (else to the first homeserver process), the proxy to each homeserver
 * process, each process to PostgreSQL, the media repository (else the first
 * process) to the media store, clients to the SFU and to TURN, TURN to the
 * SFU, the first process to each other service, and each service to its
 * database.
 */
export function deploymentLayout(rows: readonly BillRow[], world: DiagramWorld): DeploymentLayout {
  type Slot = Omit<DiagramBox, 'x' | 'y' | 'width' | 'height'> & { row: number };
  const slots: Slot[] = [];
  const next = [0, 0, 0, 0, 0];
  const put = (s: Omit<Slot, 'row'>, row?: number) => {
    const r = Math.max(row ?? 0, next[s.column]!);
    next[s.column] = r + 1;
    slots.push({ ...s, row: r });
    return r;
  };
  put({ id: 'clients', label: 'clients', detail: [`${formatCount(world.users)} users`], group: 'internet', component: null, column: 0 });
  if (world.remoteServers > 0) {
    put({ id: 'remote', label: 'remote servers', detail: [`${formatCount(world.remoteServers)} (federation)`], group: 'internet', component: null, column: 0 });
  }
  const id = (i: number) => `c${i}`;
  const label = (r: BillRow) => fitText(r.count > 1 ? `${shortName(r)} × ${formatCount(r.count)}` : shortName(r), NAME_FONT_PX, true);
  const box = (r: BillRow, i: number) => ({ id: id(i), label: label(r), detail: details(r), component: i, ...place(r.kind) });
  const proxied = rows.some((r) => r.kind === 'reverseProxy');
  const order = (kind: string) => (kind === 'reverseProxy' ? 0 : kind === 'sfu' ? 1 : kind === 'turn' ? 2 : 3);
  // Without a reverse proxy, the links from the internet go straight to the homeserver: the rows they pass stay empty in column 1.
  const firstCallRow = proxied ? 0 : next[0]!;
  const rowOf = new Map<number, number>();
  [...rows.keys()]
    .sort((a, b) => order(rows[a]!.kind) - order(rows[b]!.kind) || a - b)
    .forEach((i) => {
      const r = rows[i]!;
      const b = box(r, i);
      // A service's database beside its service.
      const service = r.kind === 'componentDatabase' ? rowOf.get(i - 1) : undefined;
      rowOf.set(i, put(b, r.kind === 'sfu' || r.kind === 'turn' ? firstCallRow : service));
    });

  // Columns used, left to right, at even steps.
  const used = [...new Set(slots.map((s) => s.column))].sort((a, b) => a - b);
  const xOf = (column: number) => used.indexOf(column) * COLUMN_WIDTH + (COLUMN_WIDTH - BOX_WIDTH) / 2;
  const boxes: DiagramBox[] = slots.map(({ row, ...s }) => ({ ...s, x: xOf(s.column), y: TOP + row * ROW_PITCH, width: BOX_WIDTH, height: BOX_HEIGHT }));
  const rowsUsed = Math.max(...slots.map((s) => s.row)) + 1;

  const byId = new Map(boxes.map((b) => [b.id, b]));
  const links: DiagramLink[] = [];
  const link = (from: string | undefined, to: string | undefined) => {
    const a = from === undefined ? undefined : byId.get(from);
    const b = to === undefined ? undefined : byId.get(to);
    if (!a || !b || a === b) return;
    links.push({ from: a.id, to: b.id, ...edges(a, b) });
  };
  const ofKind = (kind: string) => rows.flatMap((r, i) => (r.kind === kind ? [id(i)] : []));
  const homeserver = ofKind('homeserver');
  const anchor = homeserver[0];
  const proxy = ofKind('reverseProxy')[0];
  const entry = proxy ?? anchor;
  link('clients', entry);
  link('remote', entry);
  if (proxy) for (const h of homeserver) link(proxy, h);
  for (const db of ofKind('database')) for (const h of homeserver) link(h, db);
  const mediaRepository = rows.findIndex((r) => r.kind === 'homeserver' && /media/i.test(r.name));
  for (const m of ofKind('mediaStore')) link(mediaRepository >= 0 ? id(mediaRepository) : anchor, m);
  const sfus = ofKind('sfu');
  for (const s of sfus) link('clients', s);
  for (const t of ofKind('turn')) {
    link('clients', t);
    for (const s of sfus) link(t, s);
  }
  rows.forEach((r, i) => {
    // A service's database follows its service in the bill.
    if (r.kind === 'componentDatabase') link(i > 0 ? id(i - 1) : anchor, id(i));
    else if (place(r.kind).group === 'other services') link(anchor, id(i));
  });
  return {
    boxes,
    links,
    headers: used.map((c) => ({ text: columnTitle(c, new Set(boxes.filter((b) => b.column === c).map((b) => b.group))), x: xOf(c) + BOX_WIDTH / 2 })),
    width: used.length * COLUMN_WIDTH,
    height: TOP + (rowsUsed - 1) * ROW_PITCH + BOX_HEIGHT + 4,
  };
}

/** A link's ends: right edge to left edge between columns, bottom to top within one. */
function edges(a: DiagramBox, b: DiagramBox): Pick<DiagramLink, 'x' | 'y' | 'x2' | 'y2'> {
  const mid = (box: DiagramBox) => box.y + box.height / 2;
  if (a.column === b.column) {
    const down = b.y > a.y;
    return { x: a.x + a.width / 2, y: down ? a.y + a.height : a.y, x2: b.x + b.width / 2, y2: down ? b.y : b.y + b.height };
  }
  const right = b.column > a.column;
  return { x: right ? a.x + a.width : a.x, y: mid(a), x2: right ? b.x : b.x + b.width, y2: mid(b) };
}

/** The users the bill is sized for (`horizonUsers`), else today's. */
function sizedUsers(ctx: ChartContext): number {
  const rec = recommendationOf(ctx.run.summary);
  const h = rec?.horizonUsers;
  return typeof h === 'number' && Number.isFinite(h) && h > 0 ? h : ctx.run.summary.world.users;
}

/** The deployment diagram, or null when the summary has no bill. */
export function deploymentChart(ctx: ChartContext): Chart | null {
  const rows = billComponents(ctx.run.summary);
  if (!rows) return null;
  const users = sizedUsers(ctx);
  const layout = deploymentLayout(rows, { users, remoteServers: ctx.run.summary.world.remoteServers });
  const t = billTotals(rows);
  const title = 'Deployment';
  const description = `The recommended deployment for ${formatCount(users)} users as boxes, left to right from the internet to the data: each box is one component of the bill of materials with its instances and what each needs (cores are the p95 CPU over the ceiling); a line links each component to what it serves.`;
  const subtitle = [
    `${formatCount(t.instances)} instances: ${billFigure(t.cores)} cores, ${billFigure(t.ramGiB)} GiB RAM, ${billFigure(t.diskGiB)} GiB disk, ${billFigure(t.bandwidthMbps)} Mbit/s to the internet`,
    'each box: instances, then cores and RAM of each; lines: who talks to whom',
  ];
  const xy = (w: number, h: number) => ({
    x: { field: 'x', type: 'quantitative', scale: { domain: [0, w], nice: false, zero: false }, axis: null },
    y: { field: 'y', type: 'quantitative', scale: { domain: [0, h], nice: false, zero: false, reverse: true }, axis: null },
  });
  const { x, y } = xy(layout.width, layout.height);
  const groups = Object.keys(GROUP_COLORS).filter((g) => layout.boxes.some((b) => b.group === g)) as DiagramGroup[];
  const boxRows = layout.boxes.map((b) => ({ id: b.id, label: b.label, group: b.group, x: b.x, y: b.y, x2: b.x + b.width, y2: b.y + b.height }));
  const textRows = layout.boxes.flatMap((b) => {
    const lines = [b.label, ...b.detail];
    const top = b.y + b.height / 2 - ((lines.length - 1) * LINE_PX) / 2;
    return lines.map((text, k) => ({ x: b.x + b.width / 2, y: top + k * LINE_PX, text, line: k === 0 ? 'name' : 'detail' }));
  });
  const text = (line: 'name' | 'detail', fontSize: number, fontWeight: string) => ({
    data: { values: textRows.filter((r) => r.line === line) },
    mark: { type: 'text', align: 'center', baseline: 'middle', fontSize, fontWeight, color: '#222222' },
    encoding: { x, y, text: { field: 'text', type: 'nominal' } },
  });
  const spec = {
    ...header(title, subtitle, description),
    width: layout.width,
    height: layout.height,
    layer: [
      {
        data: { values: layout.headers.map((h) => ({ x: h.x, y: 8, text: h.text })) },
        mark: { type: 'text', align: 'center', baseline: 'middle', fontSize: 11, fontStyle: 'italic', color: '#666666' },
        encoding: { x, y, text: { field: 'text', type: 'nominal' } },
      },
      {
        data: { values: layout.links.map((l) => ({ ...l })) },
        mark: { type: 'rule', color: '#888888', strokeWidth: 1.2 },
        encoding: { x, y, x2: { field: 'x2' }, y2: { field: 'y2' } },
      },
      {
        data: { values: boxRows },
        mark: { type: 'rect', stroke: '#555555', strokeWidth: 1, cornerRadius: 4 },
        encoding: {
          x,
          y,
          x2: { field: 'x2' },
          y2: { field: 'y2' },
          color: {
            field: 'group',
            type: 'nominal',
            title: null,
            scale: { domain: groups, range: groups.map((g) => GROUP_COLORS[g]) },
            legend: { orient: 'bottom', direction: 'horizontal', symbolStrokeColor: '#555555', symbolStrokeWidth: 1 },
          },
        },
      },
      text('name', NAME_FONT_PX, 'bold'),
      text('detail', DETAIL_FONT_PX, 'normal'),
    ],
    config: { ...CHART_CONFIG, view: { stroke: null } },
  } as unknown as TopLevelSpec;
  return { name: DEPLOYMENT_CHART_NAME, title, description, spec, csv: { path: DEPLOYMENT_CSV_PATH, content: deploymentCsv(layout) } };
}

/** data/deployment.csv: one row per box, then one per link, with their places in the chart's pixels. */
export function deploymentCsv(layout: DeploymentLayout): string {
  return toCsv(
    ['element', 'id', 'label', 'detail', 'group', 'x', 'y', 'x2', 'y2', 'from', 'to'],
    [
      ...layout.boxes.map((b) => ['box', b.id, b.label, b.detail.join('; '), b.group, b.x, b.y, b.x + b.width, b.y + b.height, null, null]),
      ...layout.links.map((l) => ['link', `${l.from}-${l.to}`, null, null, null, l.x, l.y, l.x2, l.y2, l.from, l.to]),
    ],
  );
}
