/**
 * The readiness-lint rules: what the regulator would object to, found first. Each rule reads the
 * lint context and returns findings about records, named by kind and code, with the parameters
 * of its message (locales: lint.<rule>).
 */

import { influenceOver } from '../control.ts';
import { addMonths, type CalendarDate, daysBetween } from '../dates.ts';
import { reverificationDue } from '../verification-gate.ts';
import type { LintContext } from './context.ts';
import type { RuleId } from './ids.ts';

export type RecordKind =
  | 'directive'
  | 'item'
  | 'measure'
  | 'milestone'
  | 'verification'
  | 'relationship'
  | 'access'
  | 'organization'
  | 'program';

export interface RawFinding {
  kind: RecordKind;
  code: string;
  /** Where the record sits, by codes: `measures/M-1/milestones/MS-1`. */
  path: string;
  params: Record<string, unknown>;
}

type Rule = (ctx: LintContext) => RawFinding[];

const measurePath = (m: string) => `measures/${m}`;
const milestonePath = (m: string, ms: string) => `measures/${m}/milestones/${ms}`;

/** Phrases that promise without committing, in English and Japanese. */
export const VAGUE_PHRASES: ReadonlyArray<RegExp> = [
  /\bgradual(?:ly)?\b/i,
  /\bas appropriate\b/i,
  /\bas (?:needed|necessary)\b/i,
  /\b(?:under|being|to be) (?:consideration|considered|studied|examined)\b/i,
  /\bin due course\b/i,
  /\bas soon as (?:possible|practicable)\b/i,
  /\b(?:where|if|when) possible\b/i,
  /\bto be (?:determined|decided|confirmed)\b/i,
  /\bTBD\b/,
  /\bmore than (?:a|one|two|three|four|five|\d+) (?:years?|months?)\b/i,
  /\bbasic verification\b/i,
  /順次/,
  /適宜/,
  /検討中/,
  /検討(?:を進め|していく|してまいり)/,
  /可能な限り/,
  /必要に応じて/,
  /段階的/,
  /早期に/,
];

export function vaguePhrase(text: string | undefined): string | undefined {
  if (!text) return undefined;
  for (const re of VAGUE_PHRASES) {
    const m = re.exec(text);
    if (m) return m[0];
  }
  return undefined;
}

/** Declared statuses are not kept as history: only today's view may trust them. */
const isCancelled = (ctx: LintContext, m: { status: string }) => ctx.current && m.status === 'cancelled';
const openMeasures = (ctx: LintContext) => ctx.view.measures.filter((m) => !isCancelled(ctx, m));

/** The organizations that control `org` (alone or jointly), through the ownership graph. */
const controllersOf = (ctx: LintContext, org: string) =>
  influenceOver(ctx.holdings, org)
    .filter((i) => i.controls)
    .map((i) => i.holder);

export const RULE_CHECKS: Record<RuleId, Rule> = {
  'item-unanswered': (ctx) =>
    ctx.trace.unanswered.map((row) => ({
      kind: 'item',
      code: row.item,
      path: `directives/${row.directive}/items/${row.item}`,
      params: { directive: row.directive, label: row.label ?? '', text: excerpt(row.text) },
    })),

  'measure-answers-nothing': (ctx) =>
    ctx.trace.answersNothing.map((code) => ({ kind: 'measure', code, path: measurePath(code), params: {} })),

  'measure-undated': (ctx) =>
    openMeasures(ctx)
      .filter((m) => m.milestones.every((ms) => ms.planned === null && ms.actual === undefined))
      .map((m) => ({
        kind: 'measure',
        code: m.code,
        path: measurePath(m.code),
        params: { milestones: m.milestones.length },
      })),

  'relationship-undecided': (ctx) =>
    ctx.inScope
      .filter((r) => (r.decisions.at(-1)?.decision ?? 'undecided') === 'undecided')
      .map((r) => ({
        kind: 'relationship',
        code: r.code,
        path: `relationships/${r.code}`,
        params: { provider: r.provider, scope: r.scope },
      })),

  'decision-undated': (ctx) =>
    ctx.inScope.flatMap((r) => {
      const d = r.decisions.at(-1);
      if (!d || (d.decision !== 'reduce' && d.decision !== 'terminate') || d.targetDate !== undefined)
        return [];
      return [
        {
          kind: 'relationship' as const,
          code: r.code,
          path: `relationships/${r.code}`,
          params: { provider: r.provider, decision: d.decision, on: d.on },
        },
      ];
    }),

  'milestone-overdue': (ctx) =>
    ctx.schedule.milestones
      .filter((r) => r.late)
      .map((r) => ({
        kind: 'milestone',
        code: r.code,
        path: milestonePath(r.measure, r.code),
        params: { measure: r.measure, planned: r.planned, days: daysBetween(r.planned!, ctx.asOf) },
      })),

  'long-horizon': (ctx) => {
    const limit = addMonths(ctx.asOf, ctx.config.horizonMonths);
    const byCode = new Map(ctx.schedule.measures.map((m) => [m.code, m]));
    return openMeasures(ctx).flatMap((m) => {
      const s = byCode.get(m.code)!;
      if (s.derived === 'done' || s.derived === 'verified') return [];
      const open = m.milestones.filter((ms) => ms.actual === undefined && ms.planned !== null);
      const end = open.reduce<CalendarDate | null>(
        (a, ms) => (a === null || ms.planned! > a ? ms.planned : a),
        null,
      );
      if (end === null || end <= limit) return [];
      const accelerated = m.milestones.some((ms) =>
        ms.replans.some((r) => r.from !== null && r.to !== null && r.to < r.from),
      );
      if (accelerated) return [];
      return [
        {
          kind: 'measure' as const,
          code: m.code,
          path: measurePath(m.code),
          params: {
            end,
            months: Math.floor(daysBetween(ctx.asOf, end) / 30.44),
            limit: ctx.config.horizonMonths,
          },
        },
      ];
    });
  },

  'verification-missing': (ctx) => {
    const window = addMonths(ctx.asOf, ctx.config.verificationWindowMonths);
    const byCode = new Map(ctx.schedule.measures.map((m) => [m.code, m]));
    return openMeasures(ctx).flatMap((m) => {
      if (m.category === 'user_communication' || m.verifications.length > 0) return [];
      const s = byCode.get(m.code)!;
      const implemented =
        s.derived === 'done' ||
        s.derived === 'verified' ||
        (ctx.current && (m.status === 'completed' || m.status === 'closed'));
      const dueSoon = s.committed !== null && s.committed <= window;
      if (!implemented && !dueSoon) return [];
      return [
        {
          kind: 'measure' as const,
          code: m.code,
          path: measurePath(m.code),
          params: { due: s.committed ?? '', implemented },
        },
      ];
    });
  },

  'ineffective-without-follow-up': (ctx) =>
    ctx.view.measures.flatMap((m) =>
      m.verifications
        .filter((v) => v.result === 'ineffective' && v.followUpMeasure === undefined)
        .map((v) => ({
          kind: 'verification' as const,
          code: v.code,
          path: `measures/${m.code}/verifications/${v.code}`,
          params: { measure: m.code, performedOn: v.performedOn ?? '' },
        })),
    ),

  'reverification-due': (ctx) =>
    ctx.view.measures.flatMap((m) => {
      if (isCancelled(ctx, m)) return [];
      const again = reverificationDue(m, ctx.asOf);
      if (!again || again.days >= 0) return [];
      return [
        {
          kind: 'verification' as const,
          code: again.verification,
          path: `measures/${m.code}/verifications/${again.verification}`,
          params: {
            measure: m.code,
            verification: again.verification,
            performedOn: again.performedOn,
            recurrence: again.recurrence,
            due: again.due,
            days: -again.days,
          },
        },
      ];
    }),

  'shared-system-unseparated': (ctx) => {
    const systems = new Map(ctx.view.systems.map((s) => [s.code, s]));
    const done = new Set(ctx.schedule.milestones.filter((r) => r.actual !== null).map((r) => r.code));
    const keptOnly = new Set(
      [...ctx.providers].filter((p) => {
        const theirs = ctx.inScope.filter((r) => r.provider === p);
        return theirs.length > 0 && theirs.every((r) => r.decisions.at(-1)?.decision === 'maintain');
      }),
    );
    return ctx.view.access.flatMap((a) => {
      const system = systems.get(a.system);
      if (!system || !ctx.providers.has(a.organization) || keptOnly.has(a.organization)) return [];
      if (system.owner !== undefined && !ctx.group.has(system.owner)) return [];
      if (a.until !== undefined && a.until <= ctx.asOf) return []; // access already ended
      if (a.untilMilestone !== undefined && done.has(a.untilMilestone)) return [];
      if (a.until !== undefined || a.untilMilestone !== undefined) return [];
      return [
        {
          kind: 'access' as const,
          code: a.code,
          path: `access/${a.code}`,
          params: {
            organization: a.organization,
            system: a.system,
            via: a.via,
            criticality: system.criticality,
          },
        },
      ];
    });
  },

  'provider-control-unaddressed': (ctx) => {
    const addressing = ctx.view.measures.filter(
      (m) => !isCancelled(ctx, m) && (m.category === 'governance' || m.category === 'contractor_management'),
    );
    const stakes = new Map(ctx.holders.map((h) => [h.holder, h]));
    return [...ctx.providers].sort().flatMap((provider) => {
      // The provider itself, or an organization that controls it (NAVER Cloud, through NAVER).
      const stake = [provider, ...controllersOf(ctx, provider)]
        .map((org) => stakes.get(org))
        .find((h) => h !== undefined && (h.controls || h.effective >= 0.2));
      if (!stake) return [];
      const chain = new Set([provider, ...stake.path].filter((org) => !ctx.group.has(org)));
      if (addressing.some((m) => m.concerns.some((org) => chain.has(org)))) return [];
      return [
        {
          kind: 'organization' as const,
          code: provider,
          path: `organizations/${provider}`,
          params: {
            holder: provider,
            regulated: ctx.view.program.regulatedOrganization,
            effective: Math.round(stake.effective * 1000) / 10,
            chain:
              stake.holder === provider ? stake.path.join(' → ') : `${provider} ← ${stake.path.join(' → ')}`,
            controls: stake.controls,
          },
        },
      ];
    });
  },

  'vague-wording': (ctx) => {
    const out: RawFinding[] = [];
    for (const m of openMeasures(ctx)) {
      const dated = m.milestones.some((ms) => ms.planned !== null || ms.actual !== undefined);
      // One finding per measure: the first vague phrase of its title, Japanese title or description.
      const phrase = dated ? undefined : [m.title, m.titleJa, m.description].map(vaguePhrase).find(Boolean);
      if (phrase) out.push({ kind: 'measure', code: m.code, path: measurePath(m.code), params: { phrase } });
      for (const ms of m.milestones) {
        const phrase = ms.planned === null && ms.actual === undefined ? vaguePhrase(ms.title) : undefined;
        if (phrase)
          out.push({
            kind: 'milestone',
            code: ms.code,
            path: milestonePath(m.code, ms.code),
            params: { phrase },
          });
      }
    }
    for (const r of ctx.inScope) {
      const d = r.decisions.at(-1);
      if (!d || d.targetDate !== undefined || d.decision === 'maintain') continue;
      const phrase = vaguePhrase(d.reason);
      if (phrase)
        out.push({ kind: 'relationship', code: r.code, path: `relationships/${r.code}`, params: { phrase } });
    }
    return out;
  },

  'provider-tier-unmet': (ctx) =>
    ctx.tiers
      .filter((t) => t.unmet)
      .map((t) => ({
        kind: 'organization' as const,
        code: t.organization,
        path: `organizations/${t.organization}`,
        params: {
          required: t.required.level,
          attested: t.attested ?? '—',
          because: t.required.because.join(', '),
        },
      })),

  // Judged last, from the errors the other rules found (see runLint).
  'deadline-with-errors': () => [],
  // Judged by runLint, which knows the day of the last published update.
  'disclosure-overdue': () => [],

  'status-mismatch': (ctx) =>
    ctx.current
      ? ctx.schedule.measures
          .filter((m) => m.mismatch)
          .map((m) => ({
            kind: 'measure' as const,
            code: m.code,
            path: measurePath(m.code),
            params: { declared: m.declared, derived: m.derived },
          }))
      : [],
};

function excerpt(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
