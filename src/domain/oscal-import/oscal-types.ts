/**
 * The parts of an OSCAL 1.0.6 POA&M (JSON) that the import reads. Only a document that passed the
 * schema gets here, so required fields are present and typed as the schema says; everything the
 * import does not read is still walked by the report's leftover pass (report.ts), as plain JSON.
 */
export interface OscalProp {
  name: string;
  ns?: string;
  value: string;
}

export interface OscalTiming {
  'on-date'?: { date: string };
  'within-date-range'?: { start: string; end: string };
  'at-frequency'?: { period: number; unit: string };
}

export interface OscalTask {
  uuid: string;
  type: string;
  title: string;
  description?: string;
  props?: OscalProp[];
  timing?: OscalTiming;
  dependencies?: Array<{ 'task-uuid': string }>;
  tasks?: OscalTask[];
  remarks?: string;
}

export interface OscalRemediation {
  uuid: string;
  lifecycle: string;
  title: string;
  description: string;
  props?: OscalProp[];
  tasks?: OscalTask[];
  remarks?: string;
}

export interface OscalRisk {
  uuid: string;
  title: string;
  description: string;
  statement: string;
  status: string;
  props?: OscalProp[];
  deadline?: string;
  'mitigating-factors'?: Array<{ uuid: string; description: string }>;
  remediations?: OscalRemediation[];
}

export interface OscalPoamItem {
  uuid?: string;
  title: string;
  description: string;
  props?: OscalProp[];
  'related-risks'?: Array<{ 'risk-uuid': string }>;
}

export interface OscalParty {
  uuid: string;
  type: string;
  name?: string;
  'short-name'?: string;
}

export interface OscalMetadata {
  title: string;
  published?: string;
  'last-modified': string;
  version: string;
  'oscal-version': string;
  props?: OscalProp[];
  roles?: Array<{ id: string; title: string }>;
  parties?: OscalParty[];
  'responsible-parties'?: Array<{ 'role-id': string; 'party-uuids': string[] }>;
  remarks?: string;
}

export interface OscalPoam {
  uuid: string;
  metadata: OscalMetadata;
  'system-id'?: { 'identifier-type'?: string; id: string };
  observations?: unknown[];
  risks?: OscalRisk[];
  'poam-items': OscalPoamItem[];
}

export interface OscalDocument {
  'plan-of-action-and-milestones': OscalPoam;
}

/** The pointer of the POA&M itself (RFC 6901). */
export const ROOT = '/plan-of-action-and-milestones';

/** A JSON pointer (RFC 6901) under `base`. */
export function at(base: string, ...parts: ReadonlyArray<string | number>): string {
  return base + parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
