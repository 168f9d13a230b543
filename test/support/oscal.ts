/**
 * OSCAL import test helpers: NIST's example POA&M, what "the same plan" means, and a report's
 * round trip through OSCAL.
 */
import { readFileSync } from 'node:fs';
import { compareCodes } from '../../src/domain/codes.ts';
import { readOscalPoam } from '../../src/domain/oscal-import/index.ts';
import type { ProgramFile } from '../../src/domain/program-file/schema.ts';
import { buildReportModel, type ReportModel } from '../../src/reports/model.ts';
import { renderOscalPoam } from '../../src/reports/oscal.ts';

/** NIST's example POA&M (usnistgov/oscal-content, examples/poam/json), as published. */
export const NIST_POAM = readFileSync(
  new URL('../fixtures/oscal/ifa_plan-of-action-and-milestones.json', import.meta.url),
  'utf8',
);

/** The report on the demo's directive of 16 April 2024, as of 1 July 2024, of a program. */
export function reportOn(file: ProgramFile): ReportModel {
  return buildReportModel({ file, directive: 'MIC-2024-04-16', asOf: '2024-07-01', findings: [] });
}

/**
 * "The same plan", as a report shows it: every measure (by code) with its title, category, kind,
 * declared status and the directive items it answers; every milestone of it, in order, with its
 * code, title, baseline, planned and actual dates.
 */
export function planOf(model: ReportModel) {
  return model.measures
    .map((m) => ({
      code: m.code,
      title: m.title,
      category: m.category,
      kind: m.kind,
      status: m.declared,
      answers: model.items
        .filter((i) => i.measures.includes(m.code))
        .map((i) => i.code)
        .sort(compareCodes),
      milestones: m.milestones.map((ms) => ({
        code: ms.code,
        title: ms.title,
        baseline: ms.baseline,
        planned: ms.planned,
        actual: ms.actual,
      })),
    }))
    .sort((a, b) => compareCodes(a.code, b.code));
}

/** A report as Oversight's OSCAL POA&M (English), read back by the import. */
export function roundTrip(model: ReportModel, generatedAt = '2024-07-01T01:30:00.000Z') {
  const text = renderOscalPoam(model, { lang: 'en', generatedAt });
  const read = readOscalPoam(text);
  if (!read.ok) throw new Error(`${read.key}: ${JSON.stringify(read.issues)}`);
  return { text, ...read };
}
