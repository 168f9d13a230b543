/**
 * Which reminders are due for whom, as a pure function: the ISO week of a digest, who hears of
 * what by role, the settings that turn kinds off or bring the digest's day, and the keys that make
 * a reminder once per occasion.
 */
import { describe, expect, it } from 'vitest';
import { analyzeProgram } from '../../src/domain/lint/index.ts';
import { isoWeekOf, type Recipient, type ReminderInput, remindersOf } from '../../src/domain/reminders.ts';
import { notificationText } from '../../src/i18n/notifications.ts';
import { reminderProgram } from '../support/builders.ts';

const TODAY = '2026-11-26'; // a Thursday, ISO week 48

function input(recipients: Recipient[], extra: Partial<ReminderInput> = {}): ReminderInput {
  const file = reminderProgram(TODAY);
  return {
    file,
    today: TODAY,
    schedule: analyzeProgram(file, TODAY).schedule,
    lintErrors: [],
    newLintErrors: [],
    lintOccasion: 'scan-1',
    reports: [],
    lastDisclosure: undefined,
    recipients,
    ...extra,
  };
}

const person = (
  username: string,
  assignments: Recipient['assignments'],
  more: Partial<Recipient> = {},
): Recipient => ({
  userId: `id-${username}`,
  username,
  assignments,
  dueDays: 7,
  kindsOff: [],
  digestWeekday: 1,
  ...more,
});

const kinds = (list: ReturnType<typeof remindersOf>, user: string) =>
  list
    .filter((r) => r.userId === `id-${user}`)
    .map((r) => r.kind)
    .sort();

describe('reminders', () => {
  it('numbers ISO weeks across year ends', () => {
    expect(isoWeekOf('2026-11-26')).toEqual({ week: '2026-W48', weekday: 4 });
    expect(isoWeekOf('2021-01-03')).toEqual({ week: '2020-W53', weekday: 7 });
    expect(isoWeekOf('2024-12-30')).toEqual({ week: '2025-W01', weekday: 1 });
  });

  it('tells a program manager of everything, a measure owner of its team only, an admin of nothing', () => {
    const out = remindersOf(
      input([
        person('pm', [{ role: 'program_manager', program: 'REM' }]),
        person('owner', [{ role: 'measure_owner', program: 'REM', owner: 'Team B' }]),
        person('root', [{ role: 'admin', program: null }]),
        person('elsewhere', [{ role: 'program_manager', program: 'OTHER' }]),
      ]),
    );
    expect(kinds(out, 'pm')).toEqual([
      'digest',
      'milestone_due',
      'milestone_due',
      'milestone_overdue',
      'report_due',
      'verification_ineffective',
    ]);
    expect(out.filter((r) => r.userId === 'id-owner').map((r) => r.params.code ?? r.kind)).toEqual([
      'MS-4',
      'digest',
    ]);
    expect(kinds(out, 'root')).toEqual([]);
    expect(kinds(out, 'elsewhere')).toEqual([]);
  });

  it('keys each reminder by its occasion: a re-planned milestone is a new one', () => {
    const pm = person('pm', [{ role: 'program_manager', program: 'REM' }]);
    const before = remindersOf(input([pm])).find((r) => r.params.code === 'MS-1')!;
    const file = reminderProgram(TODAY);
    file.measures[0]!.milestones[0]!.planned = '2026-11-28';
    const after = remindersOf({ ...input([pm]), file, schedule: analyzeProgram(file, TODAY).schedule }).find(
      (r) => r.params.code === 'MS-1',
    )!;
    expect(before.key).toBe(`milestone_due:REM:MS-1:2026-11-29:id-pm`);
    expect(after.key).toBe(`milestone_due:REM:MS-1:2026-11-28:id-pm`);
  });

  it('asks a second program manager, not the author or the one who sent it, to approve a report', () => {
    const reports = [
      {
        id: 'r1',
        directive: 'D1',
        status: 'in_review' as const,
        createdBy: 'user:a',
        reviewedBy: 'user:b',
        reviewedAt: '2026-11-26T01:00:00.000Z',
      },
    ];
    const pms = ['a', 'b', 'c'].map((u) => person(u, [{ role: 'program_manager', program: 'REM' }]));
    const out = remindersOf(input(pms, { reports })).filter((r) => r.kind === 'report_approval');
    expect(out.map((r) => r.userId)).toEqual(['id-c']);
    expect(out[0]!.key).toBe('report_approval:REM:r1:2026-11-26T01:00:00.000Z:id-c');
  });

  it('sends no kind a person turned off, and the digest only from their chosen weekday', () => {
    const out = remindersOf(
      input([
        person('quiet', [{ role: 'program_manager', program: 'REM' }], {
          kindsOff: ['milestone_due', 'report_due'],
          digestWeekday: 5,
        }),
      ]),
    );
    expect(kinds(out, 'quiet')).toEqual(['milestone_overdue', 'verification_ineffective']);
  });

  it('gives an auditor the digest of the whole program and nothing to act on', () => {
    const out = remindersOf(input([person('audit', [{ role: 'auditor', program: 'REM' }])]));
    expect(out.map((r) => r.kind)).toEqual(['digest']);
    expect(out[0]!.params).toMatchObject({ late: 1, dueSoon: 2, lintErrors: null });
  });
});

describe('a re-plan awaiting approval', () => {
  it('goes to those who answer for the measure, not to whoever asked, and names the dates', () => {
    const file = reminderProgram(TODAY);
    const ms = file.measures[0]!.milestones[2]!;
    const asked = {
      on: TODAY,
      from: ms.planned,
      to: '2027-03-31',
      reason: 'Vendor capacity.',
      by: 'user:alice',
      status: 'pending' as const,
    };
    const withRequest = {
      ...file,
      measures: [{ ...file.measures[0]!, milestones: [ms].map((m) => ({ ...m, replanRequests: [asked] })) }],
    };
    const out = remindersOf(
      input(
        [
          person('pm', [{ role: 'program_manager', program: 'REM' }]),
          person('alice', [{ role: 'measure_owner', program: 'REM', owner: 'Team A' }]),
          person('bob', [{ role: 'measure_owner', program: 'REM', owner: 'Team A' }]),
          person('carol', [{ role: 'measure_owner', program: 'REM', owner: 'Team B' }]),
        ],
        { file: withRequest },
      ),
    ).filter((r) => r.kind === 'replan_approval');
    expect(out.map((r) => r.userId).sort()).toEqual(['id-bob', 'id-pm']);
    const text = notificationText('en', {
      id: 'n',
      kind: 'replan_approval',
      program: 'REM',
      params: out[0]!.params,
    });
    expect(text.title).toBe('REM: the re-plan of milestone MS-3 awaits your approval');
    expect(text.lines[0]).toContain('alice asks to move milestone MS-3');
    expect(text.lines[0]).toContain('to 31 Mar 2027');
    expect(text.path).toBe('/programs/REM/measures/M-1');
    // A refused one asks nothing of anyone.
    const refused = {
      ...withRequest,
      measures: [
        {
          ...withRequest.measures[0]!,
          milestones: [{ ...ms, replanRequests: [{ ...asked, status: 'refused' as const }] }],
        },
      ],
    };
    expect(
      remindersOf(
        input([person('pm', [{ role: 'program_manager', program: 'REM' }])], { file: refused }),
      ).filter((r) => r.kind === 'replan_approval'),
    ).toEqual([]);
  });
});

describe('reminders in words', () => {
  const facts = (
    kind: 'report_due' | 'milestone_due' | 'milestone_overdue',
    params: Record<string, unknown>,
  ) => ({
    id: 'n1',
    kind,
    program: 'REM',
    params,
  });

  it('says a report past its day is late, in either language, and links to what it is about', () => {
    const due = { directive: 'D1', title: 'Guidance', due: '2026-11-20', days: -6 };
    expect(notificationText('en', facts('report_due', due))).toEqual({
      title: 'REM: the report on D1 is 6 days overdue',
      lines: ['The report answering D1 “Guidance” was due on 20 Nov 2026 and has not been submitted.'],
      path: '/programs/REM/reports',
    });
    expect(notificationText('ja', facts('report_due', due)).title).toBe(
      'REM：D1 への報告は期限を6日過ぎています',
    );
    expect(notificationText('ja', facts('report_due', { ...due, days: 0 })).title).toBe(
      'REM：D1 への報告期限は本日です',
    );
    // A directive with a Japanese title is named by it in Japanese.
    const titled = { ...due, titleJa: '指導' };
    expect(notificationText('ja', facts('report_due', titled)).lines[0]).toContain('「指導」');
    expect(notificationText('en', facts('report_due', titled)).lines[0]).toContain('“Guidance”');
  });

  it('names the milestone, its measure and its date', () => {
    const ms = { code: 'MS-1', measure: 'M 1', title: 'Design', planned: '2026-11-29', days: 1 };
    const en = notificationText('en', facts('milestone_due', ms));
    expect(en.title).toBe('REM: milestone MS-1 is due in 1 day');
    expect(en.path).toBe('/programs/REM/measures/M%201');
    expect(notificationText('ja', facts('milestone_due', ms)).lines[0]).toBe(
      '対策 M 1 のマイルストーン MS-1「Design」の予定日は 2026年11月29日 です。',
    );
  });

  it('counts days overdue in the singular and the plural', () => {
    const ms = { code: 'MS-1', measure: 'M 1', title: 'Design', planned: '2026-11-25' };
    expect(notificationText('en', facts('milestone_overdue', { ...ms, days: 1 })).title).toBe(
      'REM: milestone MS-1 is 1 day overdue',
    );
    expect(notificationText('en', facts('milestone_overdue', { ...ms, days: 3 })).title).toBe(
      'REM: milestone MS-1 is 3 days overdue',
    );
    expect(
      notificationText('en', facts('report_due', { directive: 'D1', due: '2026-11-25', days: -1 })).title,
    ).toBe('REM: the report on D1 is 1 day overdue');
    expect(notificationText('ja', facts('milestone_overdue', { ...ms, days: 1 })).title).toBe(
      'REM：マイルストーン MS-1 は期限を1日過ぎています',
    );
  });
});

describe('a recurring verification', () => {
  /** The program with M-2's check found effective on `performedOn`, recurring `recurrence`. */
  const verified = (performedOn: string, recurrence: 'quarterly' | 'none') => {
    const file = reminderProgram(TODAY);
    const m = file.measures[1]!;
    m.verifications = [
      {
        code: 'V-2',
        method: 'Contract audit',
        performedOn,
        result: 'effective',
        recurrence,
        attachments: [],
      },
    ];
    return file;
  };
  const due = (file: ReturnType<typeof reminderProgram>) =>
    remindersOf({
      ...input([person('pm', [{ role: 'program_manager', program: 'REM' }])]),
      file,
      schedule: analyzeProgram(file, TODAY).schedule,
    }).filter((r) => r.kind === 'reverification_due');

  it('falls due one period after it was performed: a reminder as the day nears, then while it is overdue', () => {
    // Performed 1 September: quarterly, so due again 1 December, five days after TODAY.
    const soon = due(verified('2026-09-01', 'quarterly'));
    expect(soon.map((r) => r.params)).toEqual([
      expect.objectContaining({ measure: 'M-2', verification: 'V-2', due: '2026-12-01', days: 5 }),
    ]);
    expect(soon[0]!.key).toBe('reverification_due:REM:M-2:V-2:2026-12-01:id-pm');
    const en = notificationText('en', {
      id: 'n',
      kind: 'reverification_due',
      program: 'REM',
      params: soon[0]!.params,
    });
    expect(en.title).toBe('REM: measure M-2 is due to be verified again in 5 days');
    expect(en.lines[0]).toContain('recurs quarterly');
    // Performed 1 June: it was due 1 September, and the reminder says it is overdue.
    const late = due(verified('2026-06-01', 'quarterly'));
    const ja = notificationText('ja', {
      id: 'n',
      kind: 'reverification_due',
      program: 'REM',
      params: late[0]!.params,
    });
    expect(late[0]!.params.days).toBeLessThan(0);
    expect(ja.title).toContain('再検証');
    expect(ja.lines[0]).toContain('四半期ごとに');
  });

  it('is never due for a check that does not recur, nor for a cancelled measure', () => {
    expect(due(verified('2026-06-01', 'none'))).toEqual([]);
    const file = verified('2026-06-01', 'quarterly');
    file.measures[1]!.status = 'cancelled';
    expect(due(file)).toEqual([]);
  });
});
