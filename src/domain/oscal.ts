/**
 * What Oversight's OSCAL export (reports/oscal.ts) and its import (domain/oscal-import/) share: the
 * namespace of Oversight's own props and identifiers, and the escaping of text in OSCAL's markup
 * fields. Kept here so that the export and the import cannot drift apart.
 */
import { type CalendarDate, isCalendarDate } from './dates.ts';

/** The namespace of Oversight's own props and identifiers. */
export const OVERSIGHT_NS = 'https://oversight.example/ns/oscal';
/** The system-id identifier-type that says the id is an Oversight program code. */
export const OVERSIGHT_PROGRAM_ID_TYPE = `${OVERSIGHT_NS}/program`;

/** Text in an OSCAL markup field (Markdown in JSON), its Markdown marks escaped. */
export const markdownEscape = (s: string): string => s.replace(/([\\`*_[\]<>])/g, '\\$1');

/** The text of an OSCAL markup field with Markdown's backslash escapes undone (the inverse of markdownEscape). */
export const markdownUnescape = (s: string): string => s.replace(/\\([\\`*_[\]<>])/g, '$1');

/**
 * The calendar day of an OSCAL date-time as its writer wrote it (the wall-clock date in the
 * writer's own offset): 2024-01-01T05:00:00-04:00 is 1 January 2024. Oversight writes a calendar
 * date as the start of that day in the program's zone, so its own dates come back unchanged.
 */
export function dayOfDateTime(value: string): CalendarDate | undefined {
  const day = value.slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}T/.test(value) && isCalendarDate(day) ? day : undefined;
}
