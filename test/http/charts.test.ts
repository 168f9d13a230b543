import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countsUpTo } from '../../src/http/web/charts.ts';

const day = fc
  .date({ min: new Date('2023-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('the burn-up counts', () => {
  it('count, for each day, the dates on or before it, as a pass over every date would', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(day, { nil: null }), { maxLength: 200 }),
        fc.array(day, { maxLength: 30 }),
        (dates, days) => {
          expect(countsUpTo(dates, days)).toEqual(
            days.map((d) => dates.filter((x) => x !== null && x <= d).length),
          );
        },
      ),
    );
  });
});
