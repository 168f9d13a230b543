import { describe, expect, it } from 'vitest';
import {
  daysBetween,
  isCalendarDate,
  isTimeZone,
  parseInstant,
  todayIn,
  zonedInstant,
} from '../../src/domain/dates.ts';

describe('calendar dates', () => {
  it('accepts real dates, leap days included', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2024-07-01')).toBe(true);
  });
  it('rejects dates that do not exist and other shapes', () => {
    for (const bad of [
      '2024-02-30',
      '2023-02-29',
      '2024-13-01',
      '2024-00-10',
      '2024-04-31',
      '2024-4-1',
      '01/07/2024',
      '',
    ])
      expect(isCalendarDate(bad), bad).toBe(false);
  });
  it('counts days between dates across month ends', () => {
    expect(daysBetween('2026-06-30', '2026-03-31')).toBe(-91);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
  });
  it("gives today's date in the program's time zone", () => {
    const instant = new Date('2024-06-30T16:30:00Z'); // 01:30 on 1 July in Tokyo
    expect(todayIn('Asia/Tokyo', instant)).toBe('2024-07-01');
    expect(todayIn('UTC', instant)).toBe('2024-06-30');
  });
  it('knows IANA time zones', () => {
    expect(isTimeZone('Asia/Tokyo')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('instants', () => {
  it('reads an instant only with its offset', () => {
    expect(parseInstant('2024-04-01T00:00+09:00')?.toISOString()).toBe('2024-03-31T15:00:00.000Z');
    expect(parseInstant('2024-03-31T15:00:00Z')?.toISOString()).toBe('2024-03-31T15:00:00.000Z');
    expect(parseInstant('2024-03-31T15:00:00.250-05:30')?.toISOString()).toBe('2024-03-31T20:30:00.250Z');
    for (const bad of [
      '2024-04-01',
      '2024-04-01T00:00',
      '2024-02-30T00:00Z',
      '2024-04-01T24:00Z',
      '2024-04-01T00:60Z',
      '2024-04-01T00:00+24:00',
      '2024-04-01 00:00Z',
      'yesterday',
      // Within the calendar after the offset is applied, too.
      '9999-12-31T23:59-23:59',
      '0001-01-01T00:00+23:59',
      '9999-12-31T20:00Z',
    ])
      expect(parseInstant(bad), bad).toBeUndefined();
  });
  it('finds the instant a wall clock shows, daylight saving time included', () => {
    expect(zonedInstant('2024-07-01', 18, 'Asia/Tokyo').toISOString()).toBe('2024-07-01T09:00:00.000Z');
    expect(zonedInstant('2024-07-01', 18, 'Europe/Berlin').toISOString()).toBe('2024-07-01T16:00:00.000Z');
    expect(zonedInstant('2024-01-15', 18, 'Europe/Berlin').toISOString()).toBe('2024-01-15T17:00:00.000Z');
    expect(zonedInstant('2024-03-31', 18, 'UTC').toISOString()).toBe('2024-03-31T18:00:00.000Z');
  });
});
