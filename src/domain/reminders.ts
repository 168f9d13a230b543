/**
 * Which reminders are due, for whom: a pure function of a program as of today and of the people
 * who hold a role in it. Each reminder carries a key that names its occasion (the milestone and
 * the date it is planned for, the report and when it was sent for review, the ISO week of a
 * digest…), so a scan run again — by another process, a minute later — finds the same keys and
 * sends nothing new, while a re-planned milestone or a report sent back and again is a new occasion.
 */

import type { Assignment } from './access.ts';
import { addDays, addMonths, type CalendarDate, daysBetween } from './dates.ts';
import type { Finding } from './lint/index.ts';
import type { ProgramFile } from './program-file/schema.ts';
import type { ScheduleAnalysis } from './schedule-analysis.ts';
import { reverificationDue } from './verification-gate.ts';

export const NOTIFICATION_KINDS = [
  'milestone_due',
  'milestone_overdue',
  'report_due',
  'report_approval',
  'replan_approval',
  'reverification_due',
  'disclosure_due',
  'lint_error',
  'verification_ineffective',
  'digest',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface Recipient {
  userId: string;
  username: string;
  assignments: readonly Assignment[];
  /** Days before a milestone's planned date that it is announced (0: on the day). */
  dueDays: number;
  kindsOff: readonly string[];
  /** ISO weekday (1 Monday … 7 Sunday) from which the week's digest is sent. */
  digestWeekday: number;
}

export interface ReportState {
  id: string;
  directive: string;
  status: 'draft' | 'in_review' | 'approved' | 'submitted';
  /** Who drafted it (an actor id, `user:<username>`): not the one to approve it. */
  createdBy: string;
  /** Who sent it for review (an actor id, `user:<username>`), and when (ISO instant). */
  reviewedBy: string | null;
  reviewedAt: string | null;
}

export interface ReminderInput {
  file: ProgramFile;
  today: CalendarDate;
  schedule: ScheduleAnalysis;
  /** The lint's errors today. */
  lintErrors: readonly Finding[];
  /** Of those, the ones the previous scan did not see, and a name for this scan's occasion. */
  newLintErrors: readonly Finding[];
  lintOccasion: string;
  reports: readonly ReportState[];
  /** The day of the last published public update. */
  lastDisclosure: CalendarDate | undefined;
  recipients: readonly Recipient[];
}

export interface Reminder {
  kind: NotificationKind;
  /** Unique per kind, occasion and user: the same reminder is never made twice. */
  key: string;
  userId: string;
  program: string;
  params: Record<string, unknown>;
}

/** The ISO week (`2026-W48`) and weekday (1 Monday … 7 Sunday) of a calendar date. */
export function isoWeekOf(day: CalendarDate): { week: string; weekday: number } {
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  const thursday = new Date(d.getTime() + (4 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return { week: `${year}-W${String(week).padStart(2, '0')}`, weekday };
}

/** What a person's roles in a program make them hear about. */
interface Audience {
  manager: boolean;
  teams: Set<string>;
  /** An auditor: no reminders to act on, but the week's digest of the whole program. */
  auditor: boolean;
}

function audienceOf(r: Recipient, program: string): Audience {
  // An admin of every program is not told of each one; a role in the program is needed.
  const mine = r.assignments.filter((a) => a.program === program);
  const roles = new Set(mine.map((a) => a.role));
  return {
    manager: roles.has('program_manager'),
    teams: new Set(mine.filter((a) => a.role === 'measure_owner' && a.owner).map((a) => a.owner!)),
    auditor: roles.has('auditor'),
  };
}

/** A lint finding's identity across scans: its rule and the record it is about. */
export const findingKey = (f: Pick<Finding, 'rule' | 'kind' | 'code'>) => `${f.rule}:${f.kind}:${f.code}`;

/** Every reminder due today in one program, for every recipient, before their settings filter kinds. */
export function remindersOf(input: ReminderInput): Reminder[] {
  const { file, today, schedule } = input;
  const program = file.program.code;
  const out: Reminder[] = [];
  const measureOf = new Map(file.measures.map((m) => [m.code, m]));
  const { week, weekday } = isoWeekOf(today);

  for (const r of input.recipients) {
    const who = audienceOf(r, program);
    if (!who.manager && who.teams.size === 0 && !who.auditor) continue;
    const theirs: Reminder[] = [];
    const add = (kind: NotificationKind, occasion: string, params: Record<string, unknown>) => {
      if (r.kindsOff.includes(kind)) return;
      theirs.push({
        kind,
        key: `${kind}:${program}:${occasion}:${r.userId}`,
        userId: r.userId,
        program,
        params,
      });
    };
    const concerns = (measure: string) => {
      const owner = measureOf.get(measure)?.owner;
      return who.manager || (owner !== undefined && who.teams.has(owner));
    };

    // A re-plan of a committed milestone waits for a second person: those who answer for the
    // measure hear of it, except whoever asked.
    for (const m of file.measures) {
      if (!concerns(m.code)) continue;
      for (const ms of m.milestones)
        for (const req of ms.replanRequests ?? [])
          if (req.status === 'pending' && req.by !== `user:${r.username}`)
            add('replan_approval', `${ms.code}:${req.on}:${req.to ?? 'none'}`, {
              code: ms.code,
              measure: m.code,
              title: ms.title,
              from: req.from,
              to: req.to,
              reason: req.reason,
              by: req.by?.replace(/^user:/, '') ?? null,
            });
    }

    const dueSoon: Array<{ code: string; measure: string; title: string; planned: string; days: number }> =
      [];
    const late: Array<{ code: string; measure: string; title: string; planned: string; days: number }> = [];
    // Oldest planned date first: the latest of the late, then the soonest due.
    const dated = schedule.milestones
      .filter((ms) => !ms.actual && ms.planned)
      .sort((a, b) => a.planned!.localeCompare(b.planned!) || a.code.localeCompare(b.code));
    for (const ms of dated) {
      if (!ms.planned) continue;
      // Reminders go to whoever answers for the measure; an auditor's digest counts the whole program.
      const mine = concerns(ms.measure);
      if (!mine && !who.auditor) continue;
      const days = daysBetween(today, ms.planned);
      const facts = { code: ms.code, measure: ms.measure, title: ms.title, planned: ms.planned, days };
      if (days < 0) {
        late.push({ ...facts, days: -days });
        if (mine) add('milestone_overdue', `${ms.code}:${ms.planned}`, { ...facts, days: -days });
      } else {
        if (days <= 14) dueSoon.push(facts);
        if (mine && days <= r.dueDays) add('milestone_due', `${ms.code}:${ms.planned}`, facts);
      }
    }

    if (who.manager) {
      const submitted = new Set(
        input.reports.filter((x) => x.status === 'submitted').map((x) => x.directive),
      );
      for (const d of file.directives) {
        if (!d.reportDue || submitted.has(d.code)) continue;
        const days = daysBetween(today, d.reportDue);
        if (days <= Math.max(r.dueDays, 7))
          add('report_due', `${d.code}:${d.reportDue}`, {
            directive: d.code,
            title: d.title,
            titleJa: d.titleJa ?? null,
            due: d.reportDue,
            days,
          });
      }
      for (const rep of input.reports) {
        const me = `user:${r.username}`;
        if (rep.status !== 'in_review' || rep.reviewedBy === me || rep.createdBy === me) continue;
        add('report_approval', `${rep.id}:${rep.reviewedAt}`, {
          report: rep.id,
          directive: rep.directive,
          by: rep.reviewedBy?.replace(/^user:/, '') ?? null,
        });
      }
      const cadence = file.program.disclosureCadenceMonths;
      const firstDuty = file.directives
        .filter((d) => d.public)
        .map((d) => d.issuedOn)
        .sort()[0];
      const since = input.lastDisclosure ?? firstDuty;
      if (cadence !== undefined && file.program.publicName && since !== undefined) {
        const due = addMonths(since, cadence);
        if (today >= addDays(due, -r.dueDays))
          add('disclosure_due', due, {
            due,
            last: input.lastDisclosure ?? null,
            days: daysBetween(today, due),
          });
      }
      for (const f of input.newLintErrors)
        add('lint_error', `${findingKey(f)}:${input.lintOccasion}`, {
          rule: f.rule,
          kind: f.kind,
          code: f.code,
          path: f.path,
          findingParams: f.params,
        });
    }

    for (const m of file.measures) {
      if (!concerns(m.code)) continue;
      // A recurring verification falls due again: a reminder as it nears, and while it is overdue.
      const again = reverificationDue(m, today);
      if (again && again.days <= r.dueDays)
        add('reverification_due', `${m.code}:${again.verification}:${again.due}`, {
          measure: m.code,
          title: m.title,
          verification: again.verification,
          performedOn: again.performedOn,
          recurrence: again.recurrence,
          due: again.due,
          days: again.days,
        });
      for (const v of m.verifications)
        if (v.result === 'ineffective')
          add('verification_ineffective', `${m.code}:${v.code}`, {
            measure: m.code,
            title: m.title,
            verification: v.code,
            performedOn: v.performedOn ?? null,
            followUp: v.followUpMeasure ?? null,
          });
    }

    if (weekday >= r.digestWeekday) {
      const byDate = (a: { planned: string }, b: { planned: string }) => a.planned.localeCompare(b.planned);
      add('digest', week, {
        week,
        late: late.length,
        dueSoon: dueSoon.length,
        lateList: late.sort(byDate).slice(0, 10),
        dueSoonList: dueSoon.sort(byDate).slice(0, 10),
        lintErrors: who.manager ? input.lintErrors.length : null,
        inReview: who.manager ? input.reports.filter((x) => x.status === 'in_review').length : null,
      });
    }
    // The most pressing kinds first (a stable sort keeps each kind's own order).
    out.push(...theirs.sort((a, b) => RANK[a.kind] - RANK[b.kind]));
  }
  return out;
}

const RANK: Record<NotificationKind, number> = {
  report_approval: 0,
  replan_approval: 1,
  report_due: 2,
  milestone_overdue: 3,
  milestone_due: 4,
  verification_ineffective: 5,
  reverification_due: 5,
  lint_error: 6,
  disclosure_due: 7,
  digest: 8,
};
