/** Incidents and the secondary-damage reports that follow them. */
import { insertIncident, insertSecondaryDamage } from '../db/program-writer.ts';
import { incidentIssues } from '../domain/program-file/check.ts';
import { incidentSchema, secondaryDamageSchema } from '../domain/program-file/schema.ts';
import { requireWriteRole } from './authorize.ts';
import {
  createRecord,
  nextPosition,
  PROVENANCE_COLUMNS,
  rejectIssues,
  requireProgram,
  requireRecord,
  updateRecord,
} from './common.ts';
import { type ServiceContext, validate, write } from './context.ts';

export const createIncident = (ctx: ServiceContext, programCode: string, input: unknown) =>
  createRecord(
    ctx,
    'incident',
    programCode,
    incidentSchema,
    input,
    (trx, programId, incident) => insertIncident(trx, programId, incident),
    {},
    incidentIssues,
  );

export const updateIncident = (ctx: ServiceContext, programCode: string, code: string, input: unknown) =>
  updateRecord(
    ctx,
    {
      kind: 'incident',
      schema: incidentSchema,
      columns: {
        title: { column: 'title' },
        summary: { column: 'summary' },
        accessFrom: { column: 'access_from' },
        accessUntil: { column: 'access_until' },
        detectedOn: { column: 'detected_on' },
        containedOn: { column: 'contained_on' },
        announcedOn: { column: 'announced_on' },
        public: { column: 'is_public' },
        ...PROVENANCE_COLUMNS,
      },
      after: async (trx, id) => {
        const x = await trx
          .selectFrom('incidents')
          .select(['access_from', 'access_until', 'detected_on', 'contained_on'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        rejectIssues(
          incidentIssues({
            accessFrom: x.access_from,
            accessUntil: x.access_until,
            detectedOn: x.detected_on,
            containedOn: x.contained_on,
          }),
          '',
        );
      },
    },
    programCode,
    code,
    input,
  );

/** Records a secondary-damage report (phishing, unauthorized login, fraud…) against an incident. */
export async function reportSecondaryDamage(
  ctx: ServiceContext,
  programCode: string,
  incidentCode: string,
  input: unknown,
) {
  requireWriteRole(ctx, 'incident', programCode);
  const report = validate(secondaryDamageSchema, input);
  return write(ctx, async (trx, audit) => {
    const program = await requireProgram(trx, programCode);
    const incident = await requireRecord(trx, 'incident', program.id, incidentCode);
    const position = await nextPosition(trx, 'secondary_damage_reports', {
      column: 'incident_id',
      value: incident.id,
    });
    const id = await insertSecondaryDamage(trx, incident.id, report, position);
    audit({
      action: 'incident.secondary_damage_reported',
      entityType: 'incident',
      entityId: incident.id,
      entityCode: incidentCode,
      programId: program.id,
      payload: report,
    });
    return { id, version: 1 };
  });
}
