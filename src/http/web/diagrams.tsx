/** @jsxImportSource hono/jsx */
/**
 * The group's two diagrams as server-rendered SVG, from plain data with the words already chosen
 * (so a PDF report can draw the same SVG): the control chain (organizations and who owns whom)
 * and the exposure paths (outside organizations → systems → critical systems on a day).
 */
import { type EdgeStyle, type GraphEdge, type GraphNode, GraphSvg, type NodeStyle } from './graph-svg.tsx';

/** How an organization stands towards the regulated one; the first that applies. */
export type ChainRole = 'regulated' | 'controller' | 'holder' | 'group' | 'other';

export interface ChainOrganization {
  code: string;
  name: string;
  role: ChainRole;
  /** An outsourcing provider tied to its customer by capital, or the organization that ties it. */
  flagged: boolean;
}

export interface ChainHolding {
  owner: string;
  owned: string;
  /** Percent of equity. */
  share: number;
  /** Percent of votes. */
  voting: number;
}

export interface ChainLabels {
  title: string;
  desc: string;
  /** The words on an ownership edge: its share, and its votes where they differ. */
  holding: (h: ChainHolding) => string;
  legend: Record<ChainRole | 'flagged' | 'controlling' | 'minority', string>;
  tags: { regulated: string; flagged: string };
  empty: string;
}

const INK = '#1b1f24';
const MUTED = '#4b5563';
const RED = '#b42318';

const ROLE_STYLE: Record<ChainRole, NodeStyle> = {
  regulated: { fill: '#17324d', stroke: '#17324d', strokeWidth: 2, text: '#ffffff', muted: '#dbe9ff' },
  controller: { fill: '#dbe9ff', stroke: '#0b5cad', strokeWidth: 2, text: INK, muted: MUTED },
  holder: { fill: '#eef1f5', stroke: '#5b6673', strokeWidth: 1.5, text: INK, muted: MUTED },
  group: { fill: '#e6f4ea', stroke: '#11652a', strokeWidth: 1.5, text: INK, muted: MUTED },
  other: { fill: '#ffffff', stroke: '#8c959f', strokeWidth: 1.5, text: INK, muted: MUTED },
};

/** Red dashed outline and a "!" badge over the role's colours. */
const flag = (s: NodeStyle): NodeStyle => ({
  ...s,
  stroke: RED,
  strokeWidth: 3,
  dash: '7 3',
  badge: RED,
  tagColour: s.fill === '#17324d' ? '#ffd7d4' : RED,
});

const CONTROLLING: EdgeStyle = { stroke: '#17324d', width: 2.2 };
const MINORITY: EdgeStyle = { stroke: '#6b7480', width: 1.4, dash: '5 4' };

/** Organizations as boxes, ownership edges from owner to owned labelled with share (and votes). */
export function ControlChainDiagram(props: {
  id: string;
  organizations: ChainOrganization[];
  holdings: ChainHolding[];
  labels: ChainLabels;
}) {
  const { labels } = props;
  const nodes: GraphNode[] = props.organizations.map((o) => ({
    id: o.code,
    name: o.name,
    sub: o.name === o.code ? undefined : o.code,
    tag: o.flagged ? labels.tags.flagged : o.role === 'regulated' ? labels.tags.regulated : undefined,
    style: o.flagged ? flag(ROLE_STYLE[o.role]) : ROLE_STYLE[o.role],
  }));
  const known = new Set(nodes.map((n) => n.id));
  const name = new Map(props.organizations.map((o) => [o.code, o.name]));
  const edges: GraphEdge[] = props.holdings
    .filter((h) => known.has(h.owner) && known.has(h.owned))
    .map((h) => ({
      from: h.owner,
      to: h.owned,
      label: [labels.holding(h)],
      title: `${name.get(h.owner)} → ${name.get(h.owned)}: ${labels.holding(h)}`,
      style: h.voting >= 50 ? CONTROLLING : MINORITY,
    }));
  const roles = new Set(props.organizations.map((o) => o.role));
  const legend = [
    ...(['regulated', 'controller', 'holder', 'group', 'other'] as const)
      .filter((r) => roles.has(r))
      .map((r) => ({ label: labels.legend[r], node: ROLE_STYLE[r] })),
    ...(props.organizations.some((o) => o.flagged)
      ? [{ label: labels.legend.flagged, node: flag(ROLE_STYLE.other) }]
      : []),
    { label: labels.legend.controlling, edge: CONTROLLING },
    { label: labels.legend.minority, edge: MINORITY },
  ];
  return (
    <GraphSvg
      spec={{
        id: props.id,
        title: labels.title,
        desc: labels.desc,
        direction: 'TB',
        nodes,
        edges,
        legend,
        empty: labels.empty,
      }}
    />
  );
}

export interface ExposureNode {
  /** Unique among organizations and systems (e.g. `o:NAVER-CLOUD`, `s:SYS-SOC`). */
  id: string;
  kind: 'organization' | 'system';
  code: string;
  name: string;
  critical: boolean;
  /** A system of the regulated group (owned by it or by nobody); false for systems passed through outside it. */
  inGroup: boolean;
}

export interface ExposureEdge {
  from: string;
  to: string;
  kind: 'access' | 'link';
  /** The access or link code. */
  code: string;
  /** How it reaches, in words. */
  via: string;
  /** When it ends, in words (a date or a milestone), if it does. */
  end?: string | undefined;
}

export interface ExposureLabels {
  title: string;
  desc: string;
  empty: string;
  legend: {
    organization: string;
    system: string;
    critical: string;
    outside: string;
    access: string;
    link: string;
  };
  tags: { critical: string; outside: string };
  /** How an edge reaches and until when, in one phrase (for its tooltip). */
  how: (via: string, end: string | undefined) => string;
}

const EXPOSURE_STYLE = {
  organization: { fill: '#fff4d6', stroke: '#7a5200', strokeWidth: 1.5, text: INK, muted: MUTED },
  system: { fill: '#ffffff', stroke: '#0b5cad', strokeWidth: 1.5, text: INK, muted: MUTED },
  critical: { fill: '#fde8e7', stroke: RED, strokeWidth: 3, text: INK, muted: MUTED, tagColour: RED },
  outside: { fill: '#eef1f5', stroke: '#5b6673', strokeWidth: 1.5, dash: '5 3', text: INK, muted: MUTED },
} satisfies Record<string, NodeStyle>;

const ACCESS: EdgeStyle = { stroke: '#9a5b00', width: 2 };
const LINK: EdgeStyle = { stroke: '#0b5cad', width: 1.6 };

function exposureStyle(n: ExposureNode): { style: NodeStyle; tag?: 'critical' | 'outside' } {
  if (n.kind === 'organization') return { style: EXPOSURE_STYLE.organization };
  if (!n.inGroup) return { style: EXPOSURE_STYLE.outside, tag: 'outside' };
  if (n.critical) return { style: EXPOSURE_STYLE.critical, tag: 'critical' };
  return { style: EXPOSURE_STYLE.system };
}

/** Outside organizations on the left, then the systems they reach, edges labelled with how (and until when). */
export function ExposureDiagram(props: {
  id: string;
  nodes: ExposureNode[];
  edges: ExposureEdge[];
  labels: ExposureLabels;
}) {
  const { labels } = props;
  const name = new Map(props.nodes.map((n) => [n.id, n.name]));
  const nodes: GraphNode[] = props.nodes.map((n) => {
    const { style, tag } = exposureStyle(n);
    return {
      id: n.id,
      name: n.name,
      sub: n.name === n.code ? undefined : n.code,
      tag: tag ? labels.tags[tag] : undefined,
      style,
    };
  });
  const edges: GraphEdge[] = props.edges.map((e) => ({
    from: e.from,
    to: e.to,
    label: e.end ? [e.via, e.end] : [e.via],
    title: `${e.code}: ${name.get(e.from)} → ${name.get(e.to)} (${labels.how(e.via, e.end)})`,
    style: e.kind === 'access' ? ACCESS : LINK,
  }));
  const has = (f: (n: ExposureNode) => boolean) => props.nodes.some(f);
  const legend = [
    { label: labels.legend.organization, node: EXPOSURE_STYLE.organization },
    ...(has((n) => n.kind === 'system' && n.inGroup && !n.critical)
      ? [{ label: labels.legend.system, node: EXPOSURE_STYLE.system }]
      : []),
    ...(has((n) => n.kind === 'system' && n.inGroup && n.critical)
      ? [{ label: labels.legend.critical, node: EXPOSURE_STYLE.critical }]
      : []),
    ...(has((n) => n.kind === 'system' && !n.inGroup)
      ? [{ label: labels.legend.outside, node: EXPOSURE_STYLE.outside }]
      : []),
    { label: labels.legend.access, edge: ACCESS },
    ...(props.edges.some((e) => e.kind === 'link') ? [{ label: labels.legend.link, edge: LINK }] : []),
  ];
  return (
    <GraphSvg
      spec={{
        id: props.id,
        title: labels.title,
        desc: labels.desc,
        direction: 'LR',
        // Every system a path ends on in the last column: each label stays beside its own edge.
        layout: { ranker: 'longest-path', ranksep: 40 },
        nodes,
        edges,
        legend,
        empty: labels.empty,
      }}
    />
  );
}
