import { describe, expect, it } from 'vitest';
import { baselineOf, decisionAsOf, plannedAsOf, slippageDays } from '../../src/domain/schedule.ts';

// The network separation of the reference case: "more than two years" on 1 April 2024
// (kept as 30 June 2026), brought forward to 31 March 2026 on 1 July 2024.
const separation = {
  committedOn: '2024-04-01',
  planned: '2026-03-31',
  replans: [{ on: '2024-07-01', from: '2026-06-30', to: '2026-03-31' }],
};

describe('milestone history', () => {
  it('keeps the first committed date as the baseline', () => {
    expect(baselineOf(separation)).toBe('2026-06-30');
    expect(baselineOf({ committedOn: '2024-04-01', planned: '2024-08-31', replans: [] })).toBe('2024-08-31');
  });
  it('takes the baseline from the first dated point when a milestone started undated', () => {
    expect(
      baselineOf({
        committedOn: '2024-04-01',
        planned: '2024-07-01',
        replans: [{ on: '2024-04-16', from: null, to: '2024-07-01' }],
      }),
    ).toBe('2024-07-01');
  });
  it('answers what the plan said on a given day', () => {
    expect(plannedAsOf(separation, '2024-03-31')).toBeUndefined();
    expect(plannedAsOf(separation, '2024-04-01')).toBe('2026-06-30');
    expect(plannedAsOf(separation, '2024-06-30')).toBe('2026-06-30');
    expect(plannedAsOf(separation, '2024-07-01')).toBe('2026-03-31');
  });
  it('derives acceleration as negative slippage', () => {
    expect(slippageDays(separation)).toBe(-91);
    expect(slippageDays({ committedOn: '2024-04-01', planned: null, replans: [] })).toBeNull();
  });
});

describe('decision history', () => {
  const history = [
    { on: '2024-04-01', decision: 'undecided' as const },
    { on: '2024-07-01', decision: 'terminate' as const, targetDate: '2025-12-31' },
  ];
  it('returns the decision in force on a day', () => {
    expect(decisionAsOf(history, '2024-03-01')).toBeUndefined();
    expect(decisionAsOf(history, '2024-05-01')?.decision).toBe('undecided');
    expect(decisionAsOf(history, '2024-07-01')).toEqual(history[1]);
  });
});
