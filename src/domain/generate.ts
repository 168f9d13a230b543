/**
 * A generated program for load and speed: deterministic for a scale and a seed, and shaped like the
 * reference case multiplied — at scale 1 about 300 measures, 1,500 milestones (with re-plans and
 * dependencies), 100 outsourcing relationships with their decision histories, 300 systems and
 * 1,000 access edges, across group companies and providers. Every count grows with the scale.
 */
import { addDays, type CalendarDate } from './dates.ts';
import { type ProgramFile, programFileSchema } from './program-file/schema.ts';
import { MEASURE_CATEGORIES, RELATIONSHIP_SCOPES, SYSTEM_KINDS } from './vocab.ts';

/** mulberry32: a small, fast, well-spread 32-bit generator; the same seed gives the same program. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
  };
}

const ACTIONS = [
  ['Separate', '分離する'],
  ['Restrict', '制限する'],
  ['Monitor', '監視する'],
  ['Review', '見直す'],
  ['Harden', '強化する'],
  ['Migrate', '移行する'],
  ['Audit', '監査する'],
  ['Terminate', '終了する'],
] as const;
const OBJECTS = [
  ['the shared network', '共用ネットワーク'],
  ['administrator accounts', '管理者アカウント'],
  ['the authentication base', '認証基盤'],
  ['contractor access', '委託先のアクセス'],
  ['log collection', 'ログ収集'],
  ['data-center routes', 'データセンター間の経路'],
  ['outsourced operations', '委託業務'],
  ['endpoint protection', 'エンドポイント保護'],
] as const;

const pad = (n: number, width = 5) => String(n).padStart(width, '0');

export interface GenerateOptions {
  scale: number;
  seed: number;
  /** The program's code (GEN-<scale>-<seed> by default). */
  code?: string;
}

export function generateProgram(options: GenerateOptions): ProgramFile {
  const { scale, seed } = options;
  const r = random(seed);
  const code = options.code ?? `GEN-${scale}-${seed}`;
  const n = {
    measures: 300 * scale,
    relationships: 100 * scale,
    systems: 300 * scale,
    access: 1_000 * scale,
    providers: 40 * scale,
    subsidiaries: 5 * scale,
  };
  const start: CalendarDate = '2024-04-01';
  const providers = Array.from({ length: n.providers }, (_, i) => `P-${pad(i)}`);
  const subsidiaries = Array.from({ length: n.subsidiaries }, (_, i) => `SUB-${pad(i)}`);
  const organizations = [
    {
      code: 'REG',
      name: 'Regulated Corporation',
      nameJa: '規制対象株式会社',
      kind: 'regulated',
      country: 'JP',
    },
    { code: 'PARENT', name: 'Parent Holdings', nameJa: '親ホールディングス', kind: 'parent', country: 'JP' },
    { code: 'AUTHORITY', name: 'The Ministry', nameJa: '所管省庁', kind: 'regulator', country: 'JP' },
    ...subsidiaries.map((c, i) => ({
      code: c,
      name: `Group company ${i}`,
      kind: 'subsidiary',
      country: 'JP',
    })),
    ...providers.map((c, i) => ({
      code: c,
      name: `Provider ${i}`,
      kind: 'provider',
      country: r.pick(['JP', 'KR', 'US', 'SG']),
      ...(i % 4 === 0 ? { handlesConfidentialData: true } : {}),
    })),
  ];
  const ownerships = [
    { owner: 'PARENT', owned: 'REG', share: 64.4, asOf: start },
    ...subsidiaries.map((c) => ({ owner: 'REG', owned: c, share: 50 + r.int(50), asOf: start })),
    // Some providers hold a stake in the parent: the control-chain rules have something to find.
    ...providers
      .slice(0, Math.max(1, scale))
      .map((p) => ({ owner: p, owned: 'PARENT', share: 10 + r.int(30) })),
  ];
  const itemCodes: string[] = [];
  const items = Array.from({ length: 3 + scale }, (_, i) => {
    const bullets = Array.from({ length: 3 }, (_, j) => `G-${i + 1}${String.fromCharCode(97 + j)}`);
    itemCodes.push(`G-${i + 1}`, ...bullets);
    return {
      code: `G-${i + 1}`,
      label: `(${i + 1})`,
      text: `Demand ${i + 1}: strengthen safety management and contractor management`,
      textJa: `要求事項 ${i + 1}: 安全管理措置及び委託先管理の強化`,
      items: bullets.map((b) => ({ code: b, label: '•', text: `Detail ${b}`, textJa: `詳細 ${b}` })),
    };
  });
  const systems = Array.from({ length: n.systems }, (_, i) => ({
    code: `SYS-${pad(i)}`,
    name: `System ${i}`,
    kind: r.pick(SYSTEM_KINDS),
    owner: i % 10 === 0 ? r.pick(subsidiaries) : 'REG',
    criticality: r.pick(['critical', 'high', 'high', 'medium', 'low'] as const),
    dataClasses: i % 3 === 0 ? ['user data'] : ['internal'],
  }));
  const measures = Array.from({ length: n.measures }, (_, i) => {
    const m = `M-${pad(i)}`;
    const [verb, verbJa] = r.pick(ACTIONS);
    const [object, objectJa] = r.pick(OBJECTS);
    const milestones = Array.from({ length: 5 }, (_, j) => {
      const baseline = addDays(start, 30 + 45 * j + r.int(120));
      const moves = r.int(3);
      const replans: Array<{ on: CalendarDate; from: CalendarDate; to: CalendarDate; reason: string }> = [];
      let planned = baseline;
      for (let k = 0; k < moves; k++) {
        const to = addDays(planned, r.next() < 0.35 ? -(7 + r.int(60)) : 7 + r.int(120));
        replans.push({
          on: addDays(start, 60 + 90 * k + j),
          from: planned,
          to,
          reason: `Re-planned: ${verb.toLowerCase()} ${object}, step ${j + 1}`,
        });
        planned = to;
      }
      const done = planned < '2025-06-30' && r.next() < 0.7;
      return {
        code: `${m}.${j + 1}`,
        title: `${verb} ${object}: step ${j + 1}`,
        committedOn: start,
        planned,
        ...(done ? { actual: addDays(planned, r.int(10) - 5 < 0 ? 0 : r.int(10)) } : {}),
        // Within the measure in order; sometimes on the first step of an earlier measure.
        dependsOn: j > 0 ? [`${m}.${j}`] : i > 0 && r.next() < 0.2 ? [`M-${pad(r.int(i))}.1`] : [],
        replans,
      };
    });
    return {
      code: m,
      title: `${verb} ${object} (${i})`,
      titleJa: `${objectJa}を${verbJa}（${i}）`,
      ...(i % 4 === 0 ? { publicTitle: `${verb} ${object}`, publicTitleJa: `${objectJa}を${verbJa}` } : {}),
      category: r.pick(MEASURE_CATEGORIES),
      kind: r.next() < 0.2 ? 'emergency' : 'permanent',
      owner: `Team ${r.int(12)}`,
      organization: 'REG',
      status: milestones.every((x) => 'actual' in x) ? 'completed' : 'in_progress',
      answers: [r.pick(itemCodes), r.pick(itemCodes)].filter((c, k, all) => all.indexOf(c) === k),
      milestones,
      verifications:
        i % 3 === 0
          ? [
              {
                code: `V-${pad(i)}`,
                method: 'Penetration test of the separated segment',
                plannedOn: addDays(start, 200 + r.int(200)),
                recurrence: 'annual',
              },
            ]
          : [],
    };
  });
  const milestoneCodes = measures.flatMap((m) => m.milestones.map((x) => x.code));
  const access = Array.from({ length: n.access }, (_, i) => ({
    code: `AX-${pad(i, 6)}`,
    organization: r.pick(providers),
    system: `SYS-${pad(r.int(n.systems))}`,
    via: r.pick(['network_route', 'account', 'admin', 'api'] as const),
    from: '2020-01-01',
    ...(r.next() < 0.6 ? { untilMilestone: r.pick(milestoneCodes) } : {}),
  }));
  const relationships = Array.from({ length: n.relationships }, (_, i) => {
    const decided = r.next() < 0.85;
    const decision = r.pick(['terminate', 'terminate', 'reduce', 'maintain'] as const);
    return {
      code: `R-${pad(i)}`,
      title: `Outsourcing ${i}`,
      customer: i % 8 === 0 ? r.pick(subsidiaries) : 'REG',
      provider: providers[i % providers.length]!,
      scope: r.pick(RELATIONSHIP_SCOPES),
      systems: [`SYS-${pad(r.int(n.systems))}`],
      measures: [`M-${pad(r.int(n.measures))}`],
      decisions: [
        { on: start, decision: 'undecided' as const, reason: 'Under review' },
        ...(decided
          ? [
              {
                on: '2024-07-01',
                decision,
                ...(decision === 'maintain' ? {} : { targetDate: addDays('2025-03-31', 90 * r.int(5)) }),
                reason: `Decided on review of provider ${i % providers.length}`,
              },
            ]
          : []),
      ],
    };
  });
  return programFileSchema.parse({
    oversight: 1,
    program: {
      code,
      name: `Generated program (scale ${scale}, seed ${seed})`,
      timeZone: 'Asia/Tokyo',
      regulatedOrganization: 'REG',
      publicName: `Generated program ${scale}`,
      disclosureCadenceMonths: 3,
    },
    organizations,
    ownerships,
    incidents: [
      {
        code: 'INC-1',
        title: 'Unauthorized access through a provider',
        announcedOn: '2023-11-27',
        public: true,
        records: [{ category: 'users', count: 1000 * scale + r.int(1000), status: 'total' }],
        secondaryDamage: [
          { reportedOn: '2023-12-01', kind: 'phishing', count: r.int(20), description: 'Phishing mails' },
        ],
      },
    ],
    directives: [
      {
        code: 'D-1',
        issuer: 'AUTHORITY',
        issuedOn: '2024-03-05',
        title: 'Administrative guidance',
        reportDue: start,
        public: true,
        items,
      },
    ],
    systems,
    measures,
    access,
    relationships,
  });
}
