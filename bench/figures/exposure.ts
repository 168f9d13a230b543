/**
 * Exposure queries on a generated graph of 50,000 access edges and 10,000 links between 5,000
 * systems, reached by 500 outside organizations: who can reach which critical system on a day.
 */
import { exposureOn, exposureTimeline } from '../../src/domain/exposure.ts';
import type { ProgramFile } from '../../src/domain/program-file/schema.ts';
import { median, type Row } from '../support.ts';

const EDGES = Number(process.env.BENCH_EDGES ?? 50_000);
const SYSTEMS = 5_000;
const ORGS = 500;
const LINKS = 10_000;

/** A deterministic pseudo-random sequence, so every run measures the same graph. */
let seed = 42;
const rand = (n: number) => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed % n;
};
const pad = (n: number) => String(n).padStart(5, '0');

const milestones = Array.from({ length: 200 }, (_, i) => ({
  code: `MS-${pad(i)}`,
  title: `Separation ${i}`,
  committedOn: '2024-04-01',
  planned: `${2024 + (i % 3)}-${String((i % 12) + 1).padStart(2, '0')}-28`,
  dependsOn: [],
  replans: [],
  replanRequests: [],
  attachments: [],
}));
const file: ProgramFile = {
  oversight: 1,
  program: {
    code: 'BENCH-EXPOSURE',
    name: 'Exposure bench',
    timeZone: 'Asia/Tokyo',
    regulatedOrganization: 'REG',
  },
  organizations: [
    { code: 'REG', name: 'Regulated', kind: 'regulated' },
    ...Array.from({ length: ORGS }, (_, i) => ({
      code: `ORG-${pad(i)}`,
      name: `Org ${i}`,
      kind: 'provider' as const,
    })),
  ],
  ownerships: [],
  incidents: [],
  directives: [],
  systems: Array.from({ length: SYSTEMS }, (_, i) => ({
    code: `SYS-${pad(i)}`,
    name: `System ${i}`,
    kind: 'application' as const,
    owner: 'REG',
    criticality: (['critical', 'high', 'medium', 'low'] as const)[i % 4]!,
    dataClasses: [`class-${i % 20}`],
  })),
  measures: [
    {
      code: 'M-SEP',
      title: 'Separations',
      category: 'safety_management',
      kind: 'permanent',
      status: 'in_progress',
      answers: [],
      concerns: [],
      milestones,
      verifications: [],
      attachments: [],
    },
  ],
  access: Array.from({ length: EDGES }, (_, i) => ({
    code: `AX-${pad(i)}`,
    organization: `ORG-${pad(rand(ORGS))}`,
    system: `SYS-${pad(rand(SYSTEMS))}`,
    via: 'network_route' as const,
    ...(i % 3 === 0 ? { untilMilestone: `MS-${pad(rand(200))}` } : {}),
  })),
  links: Array.from({ length: LINKS }, (_, i) => {
    const from = rand(SYSTEMS);
    return {
      code: `L-${pad(i)}`,
      system: `SYS-${pad(from)}`,
      reaches: `SYS-${pad((from + 1 + rand(SYSTEMS - 1)) % SYSTEMS)}`,
      via: 'trust' as const,
    };
  }),
  relationships: [],
};

const group = new Set(['REG']);

export async function exposureFigures(): Promise<Row[]> {
  const size = `${EDGES.toLocaleString('en')} access edges`;
  const one = await median(5, () =>
    exposureOn(file, '2025-06-30', { today: '2025-01-01', group, organization: 'ORG-00007' }),
  );
  const all = await median(5, () => exposureOn(file, '2025-06-30', { today: '2025-01-01', group }));
  const timeline = await median(3, () =>
    exposureTimeline(file, '2025-01-01', '2025-12-31', { today: '2025-01-01', group }),
  );
  return [
    {
      figure: `exposure query, every organization on a day, ${size}`,
      backend: 'in memory',
      value: all,
      unit: 'ms',
      target: { text: '< 50 ms', met: all < 50 },
    },
    {
      figure: `exposure query, one organization on a day, ${size}`,
      backend: 'in memory',
      value: one,
      unit: 'ms',
    },
    {
      figure: `exposure timeline, 12 months × 3 plans, ${size}`,
      backend: 'in memory',
      value: timeline,
      unit: 'ms',
    },
  ];
}
