/** @jsxImportSource hono/jsx */
/**
 * Directed graphs as self-contained SVG: dagre lays the boxes and edges out, the SVG is written
 * here with inline attributes only (no stylesheet, no script), so the same markup serves a page
 * and a PDF report. Text is measured by estimate (svg-text.ts) and wrapped or cut to fit its box;
 * a cut name keeps its whole text in the node's `<title>`.
 */
import { Graph, type GraphLabel, layout } from '@dagrejs/dagre';
import { DIAGRAM_FONT, textWidth, truncate, wrapText } from './svg-text.ts';

export interface NodeStyle {
  fill: string;
  stroke: string;
  strokeWidth: number;
  dash?: string | undefined;
  text: string;
  /** Colour of the code line. */
  muted: string;
  /** Colour of the tag line; the muted colour when absent. */
  tagColour?: string | undefined;
  /** A round warning badge at the top right corner. */
  badge?: string | undefined;
}

export interface EdgeStyle {
  stroke: string;
  width: number;
  dash?: string | undefined;
}

export interface GraphNode {
  id: string;
  /** The whole name, shown as a tooltip and read by assistive technology. */
  name: string;
  /** A second, smaller line (a code). */
  sub?: string | undefined;
  /** A third line naming what is marked (so that colour is never the only sign). */
  tag?: string | undefined;
  style: NodeStyle;
}

export interface GraphEdge {
  from: string;
  to: string;
  label: string[];
  /** Tooltip of the edge. */
  title: string;
  style: EdgeStyle;
}

export interface LegendItem {
  label: string;
  node?: NodeStyle;
  edge?: EdgeStyle;
}

export interface GraphSpec {
  /** Prefix of the element ids, unique on the page. */
  id: string;
  title: string;
  desc: string;
  direction: 'TB' | 'LR';
  nodes: GraphNode[];
  edges: GraphEdge[];
  legend: LegendItem[];
  /** Shown instead of the graph when it has no node. */
  empty: string;
  /** Spacing and ranking options for dagre, over the defaults. */
  layout?: Partial<Pick<GraphLabel, 'nodesep' | 'ranksep' | 'edgesep' | 'ranker' | 'align'>> | undefined;
}

const NAME = 13;
const SUB = 11;
const TAG = 10.5;
const LABEL = 11;
const PAD = 8;
const NODE_TEXT = 176;
const LINE = 1.3;

interface Box extends GraphNode {
  lines: string[];
  width: number;
  height: number;
}

/** Names are set semi-bold: a little wider than the estimate for regular text. */
const BOLD = 1.06;

function measure(node: GraphNode): Box {
  const lines = wrapText(node.name, NODE_TEXT / BOLD, NAME, 3);
  const sub = node.sub ? truncate(node.sub, NODE_TEXT, SUB) : undefined;
  const tag = node.tag ? truncate(node.tag, NODE_TEXT, TAG) : undefined;
  const widest = Math.max(
    ...lines.map((l) => textWidth(l, NAME) * BOLD),
    sub ? textWidth(sub, SUB) : 0,
    tag ? textWidth(tag, TAG) : 0,
  );
  const height = 2 * PAD + lines.length * NAME * LINE + (sub ? SUB * LINE : 0) + (tag ? TAG * LINE + 2 : 0);
  return { ...node, lines, sub, tag, width: Math.max(96, Math.ceil(widest) + 2 * PAD + 8), height };
}

interface Placed {
  boxes: Array<Box & { x: number; y: number }>;
  edges: Array<
    GraphEdge & { points: Array<{ x: number; y: number }>; x: number; y: number; lw: number; lh: number }
  >;
  width: number;
  height: number;
}

function place(spec: GraphSpec): Placed {
  const g = new Graph({ multigraph: true });
  g.setGraph({
    rankdir: spec.direction,
    nodesep: 30,
    ranksep: 34,
    edgesep: 14,
    marginx: 14,
    marginy: 14,
    ...spec.layout,
  });
  g.setDefaultEdgeLabel(() => ({}));
  const boxes = new Map(spec.nodes.map((n) => [n.id, measure(n)]));
  for (const [id, b] of boxes) g.setNode(id, { width: b.width, height: b.height });
  spec.edges.forEach((e, i) => {
    const lw = Math.ceil(Math.max(0, ...e.label.map((l) => textWidth(l, LABEL)))) + 8;
    const lh = e.label.length * LABEL * LINE + 4;
    g.setEdge(e.from, e.to, { width: lw, height: lh, labelpos: 'c' }, `e${i}`);
  });
  layout(g);
  const size = g.graph();
  return {
    boxes: [...boxes.values()].map((b) => ({ ...b, x: g.node(b.id).x!, y: g.node(b.id).y! })),
    edges: spec.edges.map((e, i) => {
      const l = g.edge({ v: e.from, w: e.to, name: `e${i}` });
      return { ...e, points: l.points ?? [], x: l.x!, y: l.y!, lw: l.width!, lh: l.height! };
    }),
    width: Math.ceil(size.width ?? 0),
    height: Math.ceil(size.height ?? 0),
  };
}

/** A path through dagre's points, its corners rounded by quadratic curves. */
function curve(points: Array<{ x: number; y: number }>): string {
  if (points.length === 0) return '';
  const f = (n: number) => n.toFixed(1);
  let d = `M${f(points[0]!.x)},${f(points[0]!.y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const q = points[i + 1]!;
    d += ` Q${f(p.x)},${f(p.y)} ${f((p.x + q.x) / 2)},${f((p.y + q.y) / 2)}`;
  }
  const last = points.at(-1)!;
  return `${d} L${f(last.x)},${f(last.y)}`;
}

const LEGEND_ROW = 24;

/** Legend items flowed into rows no wider than `width`. */
function flowLegend(items: LegendItem[], width: number) {
  const placed: Array<LegendItem & { x: number; y: number }> = [];
  let x = 14;
  let y = 0;
  for (const item of items) {
    const w = 34 + textWidth(item.label, 12) + 18;
    if (x > 14 && x + w > width - 14) {
      x = 14;
      y += LEGEND_ROW;
    }
    placed.push({ ...item, x, y });
    x += w;
  }
  return { placed, height: items.length === 0 ? 0 : y + LEGEND_ROW + 8 };
}

function NodeBox(props: { box: Box & { x: number; y: number } }) {
  const b = props.box;
  const s = b.style;
  const left = b.x - b.width / 2;
  const top = b.y - b.height / 2;
  const x = b.x.toFixed(1);
  const nameY = b.lines.map((_, i) => top + PAD + NAME + i * NAME * LINE);
  const subY = b.sub ? nameY.at(-1)! + SUB * LINE + 1 : undefined;
  const tagY = b.tag ? (subY ?? nameY.at(-1)!) + TAG * LINE + 2 : undefined;
  return (
    <g class="node">
      <title>{[b.name, b.sub, b.tag].filter(Boolean).join(' — ')}</title>
      <rect
        x={left.toFixed(1)}
        y={top.toFixed(1)}
        width={b.width}
        height={b.height.toFixed(1)}
        rx="6"
        fill={s.fill}
        stroke={s.stroke}
        stroke-width={s.strokeWidth}
        stroke-dasharray={s.dash}
      />
      {b.lines.map((line, i) => (
        <text
          x={x}
          y={nameY[i]!.toFixed(1)}
          text-anchor="middle"
          font-size={NAME}
          font-weight="600"
          fill={s.text}
        >
          {line}
        </text>
      ))}
      {subY !== undefined ? (
        <text x={x} y={subY.toFixed(1)} text-anchor="middle" font-size={SUB} fill={s.muted}>
          {b.sub}
        </text>
      ) : null}
      {tagY !== undefined ? (
        <text
          x={x}
          y={tagY.toFixed(1)}
          text-anchor="middle"
          font-size={TAG}
          font-weight="700"
          fill={s.tagColour ?? s.muted}
        >
          {b.tag}
        </text>
      ) : null}
      {s.badge ? <Badge x={left + b.width - 2} y={top + 2} colour={s.badge} /> : null}
    </g>
  );
}

/** A round "!" mark. */
function Badge(props: { x: number; y: number; colour: string }) {
  return (
    <g>
      <circle
        cx={props.x.toFixed(1)}
        cy={props.y.toFixed(1)}
        r="9"
        fill={props.colour}
        stroke="#fff"
        stroke-width="1.5"
      />
      <text
        x={props.x.toFixed(1)}
        y={(props.y + 4.5).toFixed(1)}
        text-anchor="middle"
        font-size="13"
        font-weight="700"
        fill="#fff"
      >
        !
      </text>
    </g>
  );
}

function Swatch(props: { item: LegendItem; x: number; y: number }) {
  const { item, x, y } = props;
  const n = item.node;
  const e = item.edge;
  return (
    <g>
      {n ? (
        <rect
          x={x}
          y={y + 4}
          width="26"
          height="16"
          rx="4"
          fill={n.fill}
          stroke={n.stroke}
          stroke-width={Math.min(n.strokeWidth, 2.5)}
          stroke-dasharray={n.dash}
        />
      ) : null}
      {n?.badge ? <circle cx={x + 26} cy={y + 5} r="5" fill={n.badge} /> : null}
      {e ? (
        <line
          x1={x}
          x2={x + 26}
          y1={y + 12}
          y2={y + 12}
          stroke={e.stroke}
          stroke-width={e.width}
          stroke-dasharray={e.dash}
        />
      ) : null}
      <text x={x + 34} y={y + 16} font-size="12" fill="#1b1f24">
        {item.label}
      </text>
    </g>
  );
}

/** The graph as one `<svg>`: natural size (never scaled up), shrunk to the width available. */
export function GraphSvg(props: { spec: GraphSpec }) {
  const { spec } = props;
  const titleId = `${spec.id}-title`;
  const descId = `${spec.id}-desc`;
  const placed = spec.nodes.length > 0 ? place(spec) : undefined;
  const graphWidth = placed ? placed.width : Math.ceil(textWidth(spec.empty, 14)) + 40;
  const graphHeight = placed ? placed.height : 50;
  const width = Math.max(graphWidth, 420);
  const legend = flowLegend(placed ? spec.legend : [], width);
  const height = graphHeight + legend.height;
  const dx = (width - graphWidth) / 2;
  const colours = [...new Set(spec.edges.map((e) => e.style.stroke))];
  const marker = (stroke: string) => `${spec.id}-arrow-${colours.indexOf(stroke)}`;
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      style="max-width:100%;height:auto;display:block;margin:0 auto;background:#fff"
      role="img"
      aria-labelledby={titleId}
      aria-describedby={descId}
      font-family={DIAGRAM_FONT}
    >
      <title id={titleId}>{spec.title}</title>
      <desc id={descId}>{spec.desc}</desc>
      <defs>
        {colours.map((c) => (
          <marker
            id={marker(c)}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="8"
            markerHeight="8"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" fill={c} />
          </marker>
        ))}
      </defs>
      {placed ? null : (
        <text x={width / 2} y={30} text-anchor="middle" font-size="14" fill="#5b6673">
          {spec.empty}
        </text>
      )}
      <g transform={`translate(${dx.toFixed(1)},0)`}>
        {placed?.edges.map((e) => (
          <g class="edge">
            <title>{e.title}</title>
            <path
              d={curve(e.points)}
              fill="none"
              stroke={e.style.stroke}
              stroke-width={e.style.width}
              stroke-dasharray={e.style.dash}
              marker-end={`url(#${marker(e.style.stroke)})`}
            />
          </g>
        ))}
        {placed?.edges.map((e) => (
          <g class="edge-label">
            <rect
              x={(e.x - e.lw / 2).toFixed(1)}
              y={(e.y - e.lh / 2).toFixed(1)}
              width={e.lw}
              height={e.lh.toFixed(1)}
              rx="3"
              fill="#fff"
              fill-opacity="0.92"
            />
            {e.label.map((line, i) => (
              <text
                x={e.x.toFixed(1)}
                y={(e.y - e.lh / 2 + 2 + LABEL + i * LABEL * LINE).toFixed(1)}
                text-anchor="middle"
                font-size={LABEL}
                fill="#1b1f24"
              >
                {line}
              </text>
            ))}
          </g>
        ))}
        {placed?.boxes.map((b) => (
          <NodeBox box={b} />
        ))}
      </g>
      <g transform={`translate(0,${graphHeight})`}>
        {legend.placed.map((item) => (
          <Swatch item={item} x={item.x} y={item.y} />
        ))}
      </g>
    </svg>
  );
}
