/** Incidents and the secondary-damage reports that follow them. */
import { insertIncident, insertSecondaryDamage } from '../db/program-writer.ts';
import { incidentSchema, secondaryDamageSchema } from '../domain/program-file/schema.ts';
import {
  createRecord,
  nextPosition,
  PROVENANCE_COLUMNS,
  requireProgram,
  requireRecord,
  updateRecord,
} from './common.ts';
import { type ServiceContext, validate, write } from './context.ts';

export const createIncident = (ctx: ServiceContext, programCode: string, input: unknown) =>
  createRecord(ctx, 'incident', programCode, incidentSchema, input, (trx, programId, incident) =>
    insertIncident(trx, programId, incident),
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
        ...PROVENANCE_COLUMNS,
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
