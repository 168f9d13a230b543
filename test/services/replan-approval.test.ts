/**
 * Re-plans with approval, on both backends. A milestone that appeared in a report submitted to the
 * regulator is committed: its owner's re-plan stays pending — the plan, the lint and a new report
 * go on with the old date — until a second person with authority over the measure approves it;
 * then all three change, and the history shows the request and the approval. A refused re-plan
 * stays in the history and changes nothing; a program may let accelerations through unapproved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/services/account.service.ts';
import { lintProgram } from '../../src/services/analysis.service.ts';
import { recordHistory } from '../../src/services/audit.service.ts';
import { type ServiceContext, systemActor } from '../../src/services/context.ts';
import { createMilestone } from '../../src/services/milestone.service.ts';
import {
  exportProgram,
  importProgram,
  importProgramText,
  renderProgramFile,
} from '../../src/services/program-file.service.ts';
import {
  approveReplan,
  isCommitted,
  refuseReplan,
  replanMilestone,
} from '../../src/services/replan.service.ts';
import {
  approveReport,
  createReport,
  getReport,
  sendReportForReview,
  submitReport,
} from '../../src/services/report-workflow.service.ts';
import { backends, type TestDatabase, userContext } from '../support/backends.ts';
import { DEMO_TEXT } from '../support/builders.ts';

const P = 'LY-2024';
const TEAM = 'Network engineering (illustrative)';

for (const backend of backends()) {
  describe(`re-plans with approval (${backend.name})`, () => {
    let t: TestDatabase;
    const users: Record<string, ServiceContext> = {};
    const as = (id: string): ServiceContext => ({ db: t.db, actor: systemActor(id) });

    const milestone = (code: string) =>
      t.db
        .selectFrom('milestones')
        .select(['version', 'planned_date'])
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
    const versionOf = async (code: string) => (await milestone(code)).version;
    const plannedOf = async (code: string) => (await milestone(code)).planned_date;
    const overdue = async (code: string) =>
      (await lintProgram(t.ctx, P)).findings.some(
        (f) => f.rule === 'milestone-overdue' && f.path.split('/').includes(code),
      );
    /** The planned date of a milestone in a new report on the directive, as of `asOf`. */
    async function reported(code: string, asOf: string): Promise<string | null | undefined> {
      const { id } = await createReport(as('user:author'), P, { directive: 'MIC-2024-04-16', asOf });
      const { model } = await getReport(as('user:author'), P, id);
      return model.measures.flatMap((m) => m.milestones).find((ms) => ms.code === code)?.planned;
    }

    beforeAll(async () => {
      t = await backend.create();
      await importProgramText(t.ctx, DEMO_TEXT);
      for (const [username, assignment] of [
        ['owner', { role: 'measure_owner', program: P, owner: TEAM }],
        ['stranger', { role: 'measure_owner', program: P, owner: 'Another team' }],
        ['manager', { role: 'program_manager', program: P }],
      ] as const) {
        await createUser(t.ctx, { username, assignments: [assignment] });
        users[username] = await userContext(t, username);
      }
      // The 1 July 2024 report goes to the regulator: the milestones in it are committed.
      const { id } = await createReport(as('user:author'), P, {
        directive: 'MIC-2024-04-16',
        asOf: '2024-07-01',
      });
      const reviewed = await sendReportForReview(as('user:author'), P, id, { version: 1 });
      const approved = await approveReport(as('user:approver'), P, id, { version: reviewed.version });
      await submitReport(as('user:author'), P, id, { version: approved.version });
    });
    afterAll(async () => t?.close());

    it('keeps an owner’s re-plan of a committed milestone pending until a second person approves it', async () => {
      expect(await isCommitted(t.db, P, 'MS-NETSEP')).toBe(true);
      // Planned for 31 March 2026, not done: overdue today.
      expect(await overdue('MS-NETSEP')).toBe(true);
      const asked = await replanMilestone(users.owner!, P, 'MS-NETSEP', {
        version: await versionOf('MS-NETSEP'),
        to: '2027-03-31',
        reason: 'The separation of the authentication systems has to come first',
      });
      expect(asked).toMatchObject({ status: 'pending', from: '2026-03-31', to: '2027-03-31' });
      // Visible, but nothing of the plan moved: the date, the lint, a new report.
      expect(await plannedOf('MS-NETSEP')).toBe('2026-03-31');
      expect(await overdue('MS-NETSEP')).toBe(true);
      expect(await reported('MS-NETSEP', '2026-11-20')).toBe('2026-03-31');
      const file = await exportProgram(t.ctx, P);
      const ms = file.measures.flatMap((m) => m.milestones).find((m) => m.code === 'MS-NETSEP')!;
      expect(ms.replanRequests).toEqual([
        expect.objectContaining({ status: 'pending', to: '2027-03-31', by: 'user:owner' }),
      ]);
      // A second request waits for the first; the asker cannot approve; nor can someone without
      // authority over the measure.
      await expect(
        replanMilestone(users.owner!, P, 'MS-NETSEP', {
          version: await versionOf('MS-NETSEP'),
          to: '2027-06-30',
          reason: 'Later still',
        }),
      ).rejects.toMatchObject({ code: 'conflict', key: 'errors.replan_pending' });
      await expect(
        approveReplan(users.owner!, P, 'MS-NETSEP', { version: await versionOf('MS-NETSEP') }),
      ).rejects.toMatchObject({ code: 'forbidden', key: 'errors.replan_second_person' });
      await expect(
        approveReplan(users.stranger!, P, 'MS-NETSEP', { version: await versionOf('MS-NETSEP') }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      expect(await plannedOf('MS-NETSEP')).toBe('2026-03-31');

      const approved = await approveReplan(users.manager!, P, 'MS-NETSEP', {
        version: await versionOf('MS-NETSEP'),
        note: 'Agreed in the steering committee',
      });
      expect(approved).toMatchObject({ status: 'approved', to: '2027-03-31' });
      expect(await plannedOf('MS-NETSEP')).toBe('2027-03-31');
      expect(await overdue('MS-NETSEP')).toBe(false);
      expect(await reported('MS-NETSEP', '2026-11-27')).toBe('2027-03-31');

      // The history holds both steps, in order, with who took each.
      const history = await recordHistory(t.ctx, P, 'measures', 'M-NETSEP');
      const steps = history.filter((h) => h.action.startsWith('milestone.replan'));
      expect(steps.map((h) => [h.action, h.actor])).toEqual([
        ['milestone.replan_requested', 'user:owner'],
        ['milestone.replan_approved', 'user:manager'],
      ]);
      const after = (await exportProgram(t.ctx, P)).measures
        .flatMap((m) => m.milestones)
        .find((m) => m.code === 'MS-NETSEP')!;
      expect(after.replanRequests).toEqual([]);
      expect(after.replans.at(-1)).toMatchObject({
        from: '2026-03-31',
        to: '2027-03-31',
        by: 'user:owner',
        approvedBy: 'user:manager',
      });
    });

    it('keeps a refused re-plan in the history, with who refused it and why, and the plan as it was', async () => {
      await replanMilestone(users.owner!, P, 'MS-NETSEP', {
        version: await versionOf('MS-NETSEP'),
        to: '2027-12-31',
        reason: 'Vendor capacity',
      });
      await expect(
        refuseReplan(users.manager!, P, 'MS-NETSEP', { version: await versionOf('MS-NETSEP') }),
      ).rejects.toMatchObject({ code: 'validation', issues: [expect.objectContaining({ path: 'note' })] });
      const refused = await refuseReplan(users.manager!, P, 'MS-NETSEP', {
        version: await versionOf('MS-NETSEP'),
        note: 'The regulator was promised March 2027',
      });
      expect(refused.status).toBe('refused');
      expect(await plannedOf('MS-NETSEP')).toBe('2027-03-31');
      const file = await exportProgram(t.ctx, P);
      const ms = file.measures.flatMap((m) => m.milestones).find((m) => m.code === 'MS-NETSEP')!;
      expect(ms.replanRequests).toEqual([
        expect.objectContaining({
          status: 'refused',
          to: '2027-12-31',
          decidedBy: 'user:manager',
          decisionNote: 'The regulator was promised March 2027',
        }),
      ]);
      // The file carries the requests, and a re-import gives the same program.
      const text = renderProgramFile(file, 'yaml');
      await importProgramText(t.ctx, text, { replace: true });
      expect(renderProgramFile(await exportProgram(t.ctx, P), 'yaml')).toBe(text);
    });

    it('lets an acceleration through unapproved where the program says so, and still holds a slip', async () => {
      const file = await exportProgram(t.ctx, P);
      const program = { ...file.program, accelerationsNeedApproval: false };
      await importProgram(t.ctx, { ...file, program }, { replace: true });
      const faster = await replanMilestone(users.owner!, P, 'MS-NETSEP', {
        version: await versionOf('MS-NETSEP'),
        to: '2027-01-31',
        reason: 'A second team joined',
      });
      expect(faster.status).toBe('approved');
      expect(await plannedOf('MS-NETSEP')).toBe('2027-01-31');
      const slower = await replanMilestone(users.owner!, P, 'MS-NETSEP', {
        version: await versionOf('MS-NETSEP'),
        to: '2027-02-28',
        reason: 'The second team left',
      });
      expect(slower.status).toBe('pending');
      expect(await plannedOf('MS-NETSEP')).toBe('2027-01-31');
      // A milestone no submitted report has shown moves at once, as before.
      await createMilestone(users.owner!, P, 'M-NETSEP', {
        code: 'MS-NETSEP-AUDIT',
        title: 'Third-party audit of the separation',
        committedOn: '2026-11-01',
        planned: '2027-06-30',
      });
      expect(await isCommitted(t.db, P, 'MS-NETSEP-AUDIT')).toBe(false);
      const moved = await replanMilestone(users.owner!, P, 'MS-NETSEP-AUDIT', {
        version: await versionOf('MS-NETSEP-AUDIT'),
        to: '2027-09-30',
        reason: 'Auditor availability',
      });
      expect(moved.status).toBe('approved');
      expect(await plannedOf('MS-NETSEP-AUDIT')).toBe('2027-09-30');
    });

    it('is not got round by replacing the program: a manager’s file may not move a committed milestone', async () => {
      const file = await exportProgram(t.ctx, P);
      // The same program back: accepted, nothing moved.
      await importProgram(users.manager!, file, { replace: true });
      const before = await plannedOf('MS-NETSEP');
      // The committed milestone moved in the file, with an approval typed in: refused, nothing changes.
      const i = file.measures.findIndex((m) => m.milestones.some((ms) => ms.code === 'MS-NETSEP'));
      const j = file.measures[i]!.milestones.findIndex((ms) => ms.code === 'MS-NETSEP');
      const ms = file.measures[i]!.milestones[j]!;
      const moved = {
        ...ms,
        planned: '2028-03-31',
        replans: [
          ...ms.replans,
          {
            on: '2026-11-27',
            from: ms.planned,
            to: '2028-03-31',
            reason: 'Quietly',
            approvedBy: 'user:manager',
          },
        ],
      };
      const edited = structuredClone(file);
      edited.measures[i]!.milestones[j] = moved;
      await expect(importProgram(users.manager!, edited, { replace: true })).rejects.toMatchObject({
        issues: [
          {
            path: `measures[${i}].milestones[${j}].replans`,
            key: 'validation.replan_by_import',
            params: { code: 'MS-NETSEP' },
          },
        ],
      });
      expect(await plannedOf('MS-NETSEP')).toBe(before);
      // Nor can a request be typed in under someone else's name, for its real author to approve.
      const forged = structuredClone(file);
      const fw = forged.measures[i]!.milestones.find((x) => x.code === 'MS-NETSEP-FW')!;
      expect(await isCommitted(t.db, P, 'MS-NETSEP-FW')).toBe(true);
      fw.replanRequests = [
        {
          on: '2026-11-27',
          from: fw.planned,
          to: '2028-01-31',
          reason: 'Asked',
          by: 'user:owner',
          status: 'pending',
        },
      ];
      await expect(importProgram(users.manager!, forged, { replace: true })).rejects.toMatchObject({
        issues: [
          expect.objectContaining({ key: 'validation.replan_by_import', params: { code: 'MS-NETSEP-FW' } }),
        ],
      });
      // A milestone no submitted report has shown may move in a file, as before; and an admin may
      // restore a program as a whole.
      const k = file.measures[i]!.milestones.findIndex((x) => x.code === 'MS-NETSEP-AUDIT');
      const free = structuredClone(file);
      const audit = free.measures[i]!.milestones[k]!;
      audit.replans.push({ on: '2026-11-27', from: audit.planned, to: '2027-12-31', reason: 'Later' });
      audit.planned = '2027-12-31';
      await importProgram(users.manager!, free, { replace: true });
      expect(await plannedOf('MS-NETSEP-AUDIT')).toBe('2027-12-31');
      await importProgram(t.ctx, edited, { replace: true });
      expect(await plannedOf('MS-NETSEP')).toBe('2028-03-31');
    });
  });
}
