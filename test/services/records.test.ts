import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { createMeasure, updateMeasure } from '../../src/services/measure.service.ts';
import { createMilestone, updateMilestone } from '../../src/services/milestone.service.ts';
import { getRecord, planAsOf } from '../../src/services/program.service.ts';
import { importProgramText } from '../../src/services/program-file.service.ts';
import { decideRelationship } from '../../src/services/relationship.service.ts';
import { replanMilestone } from '../../src/services/replan.service.ts';
import { updateVerification } from '../../src/services/verification.service.ts';
import { backends, type TestDatabase } from '../support/backends.ts';
import { DEMO_TEXT } from '../support/builders.ts';

const P = 'LY-2024';

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe.each(backends())('records on $name', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await backend.create();
    await importProgramText(t.ctx, DEMO_TEXT);
  });
  afterAll(async () => {
    await t?.close();
  });

  const auditCount = async () =>
    Number((await sql<{ n: number }>`select count(*) as n from audit_events`.execute(t.db)).rows[0]!.n);

  it('lets one of two concurrent updates with the same version win; the other gets 409 and changes nothing', async () => {
    const before = await getRecord(t.ctx, P, 'measures', 'M-NETSEP');
    const results = await Promise.allSettled([
      updateMeasure(t.ctx, P, 'M-NETSEP', { version: before.version, title: 'Title from A' }),
      updateMeasure(t.ctx, P, 'M-NETSEP', {
        version: before.version,
        title: 'Title from B',
        owner: 'Team B',
      }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(AppError);
    expect((lost[0]!.reason as AppError).status).toBe(409);
    const after = await getRecord(t.ctx, P, 'measures', 'M-NETSEP');
    expect(after.version).toBe(before.version + 1);
    const winner = results.indexOf(won[0]!) === 0 ? 'A' : 'B';
    expect(after.title).toBe(`Title from ${winner}`);
    expect(after.owner).toBe(winner === 'B' ? 'Team B' : before.owner);
  });

  it('answers a stale version with a conflict that names the record', async () => {
    const err = await rejection(updateMeasure(t.ctx, P, 'M-NETSEP', { version: 1, title: 'late' }));
    expect(err.code).toBe('conflict');
    expect(err.params).toMatchObject({ entity: 'measure', code: 'M-NETSEP' });
  });

  it('changes only the fields a patch names', async () => {
    const before = await getRecord(t.ctx, P, 'measures', 'M-2FA');
    await updateMeasure(t.ctx, P, 'M-2FA', { version: before.version, owner: 'Identity team' });
    const after = await getRecord(t.ctx, P, 'measures', 'M-2FA');
    expect({ ...after, owner: before.owner, version: before.version }).toEqual(before);
    expect(after.owner).toBe('Identity team');
  });

  it('rejects an unknown reference with the field path, and writes nothing', async () => {
    const audits = await auditCount();
    const err = await rejection(
      createMeasure(t.ctx, P, {
        code: 'M-NEW',
        title: 'New',
        category: 'governance',
        kind: 'permanent',
        organization: 'NOBODY',
        answers: ['G2-1a', 'G9'],
      }),
    );
    expect(err.code).toBe('validation');
    expect(err.issues.map((i) => i.path)).toEqual(['organization']);
    expect(await auditCount()).toBe(audits);
    await expect(getRecord(t.ctx, P, 'measures', 'M-NEW')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('re-plans a milestone with a reason, keeping the baseline and the history', async () => {
    const ms = await getRecord(t.ctx, P, 'milestones', 'MS-END-DEV');
    const result = await replanMilestone(t.ctx, P, 'MS-END-DEV', {
      version: ms.version,
      to: '2025-09-30',
      reason: 'Brought forward after the vendor exit plan was agreed',
      on: '2024-09-30',
    });
    expect(result).toMatchObject({ from: '2025-12-31', to: '2025-09-30', on: '2024-09-30' });
    const after = await getRecord(t.ctx, P, 'milestones', 'MS-END-DEV');
    expect(after).toMatchObject({ planned: '2025-09-30', baseline: '2025-12-31', slippageDays: -92 });
    expect(after.replans).toEqual([
      {
        on: '2024-09-30',
        from: '2025-12-31',
        to: '2025-09-30',
        reason: 'Brought forward after the vendor exit plan was agreed',
        by: 'test:runner',
      },
    ]);
    const plan = await planAsOf(t.ctx, P, '2024-08-01');
    expect(plan.milestones.find((m) => m.code === 'MS-END-DEV')?.planned).toBe('2025-12-31');
  });

  it('refuses a re-plan without a reason, to the same date, before the last one, or on a completed milestone', async () => {
    const ms = await getRecord(t.ctx, P, 'milestones', 'MS-END-DEV');
    const v = ms.version;
    expect(
      (await rejection(replanMilestone(t.ctx, P, 'MS-END-DEV', { version: v, to: '2025-10-31' }))).issues[0]
        ?.path,
    ).toBe('reason');
    expect(
      (
        await rejection(
          replanMilestone(t.ctx, P, 'MS-END-DEV', { version: v, to: '2025-09-30', reason: 'x' }),
        )
      ).issues[0]?.key,
    ).toBe('validation.replan_no_change');
    expect(
      (
        await rejection(
          replanMilestone(t.ctx, P, 'MS-END-DEV', {
            version: v,
            to: '2025-10-31',
            reason: 'x',
            on: '2024-08-01',
          }),
        )
      ).issues[0]?.key,
    ).toBe('validation.history_order');
    const done = await getRecord(t.ctx, P, 'milestones', 'MS-2FA');
    expect(
      (
        await rejection(
          replanMilestone(t.ctx, P, 'MS-2FA', { version: done.version, to: '2024-05-01', reason: 'x' }),
        )
      ).issues[0]?.key,
    ).toBe('validation.already_completed');
    expect(
      (
        await rejection(
          replanMilestone(t.ctx, P, 'MS-END-DEV', { version: v - 1, to: '2025-10-31', reason: 'x' }),
        )
      ).code,
    ).toBe('conflict');
    expect((await getRecord(t.ctx, P, 'milestones', 'MS-END-DEV')).version).toBe(v);
  });

  it('does not accept a planned date through a plain edit: only a re-plan moves it', async () => {
    const ms = await getRecord(t.ctx, P, 'milestones', 'MS-NETSEP');
    const err = await rejection(
      updateMilestone(t.ctx, P, 'MS-NETSEP', { version: ms.version, planned: '2025-01-01' }),
    );
    expect(err.issues.map((i) => [i.path, i.key])).toEqual([['planned', 'validation.unknown_field']]);
  });

  it('refuses a dependency that would close a cycle, leaving the dependencies as they were', async () => {
    const fw = await getRecord(t.ctx, P, 'milestones', 'MS-NETSEP-FW');
    const err = await rejection(
      updateMilestone(t.ctx, P, 'MS-NETSEP-FW', { version: fw.version, dependsOn: ['MS-NETSEP'] }),
    );
    expect(err.issues[0]).toMatchObject({ path: 'dependsOn', key: 'validation.dependency_cycle' });
    expect(await getRecord(t.ctx, P, 'milestones', 'MS-NETSEP-FW')).toEqual(fw);
  });

  it('adds a milestone to a measure and rejects a duplicate code with 409', async () => {
    const created = await createMilestone(t.ctx, P, 'M-NETSEP', {
      code: 'MS-NETSEP-TEST',
      title: 'Separation tested',
      committedOn: '2024-07-01',
      planned: '2026-02-28',
      dependsOn: ['MS-NETSEP-FW'],
    });
    expect(created.version).toBe(1);
    const again = await rejection(
      createMilestone(t.ctx, P, 'M-NETSEP', {
        code: 'MS-NETSEP-TEST',
        title: 'x',
        committedOn: '2024-07-01',
      }),
    );
    expect(again.code).toBe('conflict');
  });

  it('records outsourcing decisions as history; the last one holds', async () => {
    const rel = await getRecord(t.ctx, P, 'relationships', 'R-NAVER-CS-KR');
    const backwards = await rejection(
      decideRelationship(t.ctx, P, 'R-NAVER-CS-KR', {
        version: rel.version,
        decision: 'terminate',
        reason: 'Exit',
        on: '2024-05-01',
      }),
    );
    expect(backwards.issues[0]).toMatchObject({ path: 'on', key: 'validation.history_order' });
    await decideRelationship(t.ctx, P, 'R-NAVER-CS-KR', {
      version: rel.version,
      decision: 'reduce',
      targetDate: '2025-06-30',
      reason: 'Support moves to Japan in part',
      on: '2025-01-15',
    });
    const after = await getRecord(t.ctx, P, 'relationships', 'R-NAVER-CS-KR');
    expect(after.current).toMatchObject({ decision: 'reduce', targetDate: '2025-06-30' });
    expect((after.decisions as unknown[]).length).toBe(2);
    const then = await planAsOf(t.ctx, P, '2024-12-31');
    expect(then.relationships.find((r) => r.code === 'R-NAVER-CS-KR')?.decision).toBe('maintain');
  });

  it('requires the date a verification was performed once it has a result', async () => {
    const v = await getRecord(t.ctx, P, 'verifications', 'V-SOC');
    const err = await rejection(
      updateVerification(t.ctx, P, 'V-SOC', { version: v.version, result: 'effective' }),
    );
    expect(err.issues[0]).toMatchObject({ path: 'performedOn', key: 'validation.result_needs_date' });
    await updateVerification(t.ctx, P, 'V-SOC', {
      version: v.version,
      result: 'effective',
      performedOn: '2025-07-10',
    });
    expect(await getRecord(t.ctx, P, 'verifications', 'V-SOC')).toMatchObject({
      result: 'effective',
      performedOn: '2025-07-10',
    });
  });

  it('answers what the plan said on 1 April 2024 and on 1 July 2024', async () => {
    const april = await planAsOf(t.ctx, P, '2024-04-01');
    const july = await planAsOf(t.ctx, P, '2024-07-01');
    const net = (p: typeof april) => p.milestones.find((m) => m.code === 'MS-NETSEP')?.planned;
    expect(net(april)).toBe('2026-06-30');
    expect(net(july)).toBe('2026-03-31');
    expect(april.milestones.some((m) => m.code === 'MS-END-NAVER-CLOUD')).toBe(false);
    const infra = (p: typeof april) => p.relationships.find((r) => r.code === 'R-NAVER-CLOUD-INFRA');
    expect(infra(april)).toMatchObject({ decision: 'undecided', targetDate: null });
    expect(infra(july)).toMatchObject({ decision: 'terminate', targetDate: '2025-12-31' });
  });

  it('writes one audit event per change, and none for a change that failed', async () => {
    const before = await auditCount();
    const m = await getRecord(t.ctx, P, 'measures', 'M-CAPITAL');
    await updateMeasure(t.ctx, P, 'M-CAPITAL', { version: m.version, status: 'in_progress' });
    await rejection(updateMeasure(t.ctx, P, 'M-CAPITAL', { version: m.version, status: 'completed' }));
    expect(await auditCount()).toBe(before + 1);
    const last = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(last).toMatchObject({ action: 'measure.updated', entity_code: 'M-CAPITAL', actor: 'test:runner' });
  });
});
