/**
 * The records of a program, as a user writes them: in a program file (YAML or JSON) and in the
 * bodies of the JSON API. Records refer to each other by short codes the user chooses, never by
 * database ids. One schema serves the file import, the API, the CLI and the published JSON Schema.
 *
 * Messages are i18n keys (`validation.*`), translated where they are shown.
 */
import { z } from 'zod';
import { isCalendarDate, isTimeZone, parseAsOf, parseInstant } from '../dates.ts';
import { lintSettingsSchema } from '../lint/config.ts';
import { tieringSettingsSchema } from '../tiering.ts';
import {
  ACCESS_VIAS,
  CRITICALITIES,
  DAMAGE_KINDS,
  DECISIONS,
  LINK_VIAS,
  MEASURE_CATEGORIES,
  MEASURE_KINDS,
  MEASURE_STATUSES,
  ORGANIZATION_KINDS,
  RECORD_STATUSES,
  RECURRENCES,
  RELATIONSHIP_SCOPES,
  SYSTEM_KINDS,
  VERIFICATION_RESULTS,
} from '../vocab.ts';

export const FORMAT_VERSION = 1;

export const codeSchema = z
  .string({ error: 'validation.code' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, { error: 'validation.code' })
  .describe('A short code chosen by the user: letters, digits and . _ : -, at most 64 characters');

export const dateSchema = z
  .string({ error: 'validation.not_a_date' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'validation.not_a_date', abort: true })
  .refine(isCalendarDate, { error: 'validation.not_a_date' })
  .describe('A calendar date, YYYY-MM-DD');

export const instantSchema = z
  .string({ error: 'validation.not_an_instant' })
  .refine((v) => parseInstant(v) !== undefined, { error: 'validation.not_an_instant' })
  .describe('An instant with its offset, e.g. 2024-04-01T00:00+09:00');

/** A day (the dated history as now known) or an instant (what the audit log held then). */
export const asOfPointSchema = z
  .string({ error: 'validation.not_a_point' })
  .refine((v) => parseAsOf(v) !== undefined, { error: 'validation.not_a_point' })
  .describe(
    "A day, YYYY-MM-DD (the program's dated history as now known, at the end of that day), or an instant with its offset, e.g. 2024-04-01T00:00+09:00 (the program as the audit log held it then)",
  );

/** A list of codes within one record: bounded, so one request cannot hold the database for minutes. */
const codeList = () => z.array(codeSchema).max(1_000);

const text = (max: number) => z.string().trim().min(1, { error: 'validation.required' }).max(max);
const optionalText = (max: number) => z.string().max(max).optional();
const percent = z
  .number()
  .min(0)
  .max(100)
  .refine((n) => Math.round(n * 10_000) / 10_000 === n, { error: 'validation.four_decimals' });

/** Where a fact comes from: a public source, or invented for illustration. */
const provenance = {
  source: optionalText(500).describe('Public source of the facts in this record'),
  illustrative: z.boolean().optional().describe('True where the record was invented for illustration'),
};

export const programInfoSchema = z.strictObject({
  code: codeSchema,
  name: text(300),
  nameJa: optionalText(300),
  description: optionalText(10_000),
  timeZone: z
    .string()
    .refine(isTimeZone, { error: 'validation.time_zone' })
    .default('Asia/Tokyo')
    .describe('IANA time zone in which instants are shown'),
  regulatedOrganization: codeSchema.describe('Code of the regulated organization'),
  publicName: optionalText(300).describe(
    'The name the public pages show (nothing of the program is public without it)',
  ),
  publicNameJa: optionalText(300),
  disclosureCadenceMonths: z
    .number()
    .int()
    .min(1)
    .max(24)
    .optional()
    .describe('How often, in months, a public progress update is due'),
  accelerationsNeedApproval: z
    .boolean()
    .optional()
    .describe(
      'Whether moving a committed milestone earlier needs a second person’s approval, as moving it later does (true when absent)',
    ),
});

export const organizationSchema = z.strictObject({
  code: codeSchema,
  name: text(300),
  nameJa: optionalText(300),
  kind: z.enum(ORGANIZATION_KINDS),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, { error: 'validation.country' })
    .optional(),
  lei: z
    .string()
    .regex(/^[A-Z0-9]{18}[0-9]{2}$/, { error: 'validation.lei' })
    .optional()
    .describe('Legal Entity Identifier (ISO 17442), as the DORA register asks'),
  corporateNumber: z
    .string()
    .regex(/^\d{13}$/, { error: 'validation.corporate_number' })
    .optional()
    .describe("Japan's 13-digit corporate number (法人番号)"),
  attestedLevel: z
    .number()
    .int()
    .min(1)
    .max(5)
    .optional()
    .describe("The provider's attested supply-chain security level (METI ★3–★5)"),
  handlesConfidentialData: z
    .boolean()
    .optional()
    .describe("The provider handles the company's confidential data on its own systems"),
  stoppageCritical: z
    .boolean()
    .optional()
    .describe("The provider's stoppage would cause unacceptable delays"),
  notes: optionalText(5_000),
  ...provenance,
});

export const ownershipSchema = z.strictObject({
  owner: codeSchema,
  owned: codeSchema,
  share: percent.describe('Share of equity, percent'),
  voting: percent.optional().describe('Share of voting rights, percent (defaults to share)'),
  asOf: dateSchema.optional(),
  ...provenance,
});

export const incidentRecordSchema = z.strictObject({
  category: text(200),
  count: z.number().int().min(0),
  status: z.enum(RECORD_STATUSES).default('total'),
  asOf: dateSchema.optional(),
  note: optionalText(2_000),
  ...provenance,
});

export const secondaryDamageSchema = z.strictObject({
  reportedOn: dateSchema,
  kind: z.enum(DAMAGE_KINDS),
  count: z.number().int().min(0).optional(),
  description: text(5_000),
  ...provenance,
});

export const incidentSchema = z.strictObject({
  code: codeSchema,
  title: text(300),
  summary: optionalText(20_000),
  accessFrom: dateSchema.optional(),
  accessUntil: dateSchema.optional(),
  detectedOn: dateSchema.optional(),
  containedOn: dateSchema.optional(),
  announcedOn: dateSchema.optional(),
  public: z
    .boolean()
    .optional()
    .describe('Its title, figures and secondary damage (by month and kind) may be shown on the public pages'),
  records: z.array(incidentRecordSchema).default([]),
  secondaryDamage: z.array(secondaryDamageSchema).default([]),
  ...provenance,
});

export interface DirectiveItemInput {
  code: string;
  label?: string | undefined;
  text: string;
  textJa?: string | undefined;
  items: DirectiveItemInput[];
}

export const directiveItemSchema: z.ZodType<DirectiveItemInput> = z
  .lazy(() =>
    z.strictObject({
      code: codeSchema,
      label: optionalText(50),
      text: text(20_000),
      textJa: optionalText(20_000).describe('The text in Japanese, when it was given in another language'),
      items: z.array(directiveItemSchema).default([]),
    }),
  )
  .meta({ id: 'DirectiveItem' });

/** A directive item on its own, as the API lists and edits it (sub-items are rows of their own). */
export const itemRecordSchema = z.strictObject({
  code: codeSchema,
  directive: codeSchema,
  parent: codeSchema.nullable(),
  label: optionalText(50),
  text: text(20_000),
  textJa: optionalText(20_000),
});

export const directiveSchema = z.strictObject({
  code: codeSchema,
  issuer: codeSchema.describe('Code of the issuing organization'),
  issuedOn: dateSchema,
  reference: optionalText(200),
  title: text(500),
  titleJa: optionalText(500).describe('The title in Japanese, when it was given in another language'),
  text: optionalText(100_000),
  reportDue: dateSchema.optional(),
  followsUp: codeSchema.optional().describe('Code of the directive this one follows up'),
  public: z
    .boolean()
    .optional()
    .describe('The directive and its items may be shown on the public pages (internal when absent)'),
  items: z.array(directiveItemSchema).default([]),
  ...provenance,
});

export const replanSchema = z.strictObject({
  on: dateSchema.describe('Date the re-plan was made'),
  from: dateSchema.nullable().describe('Planned date before the re-plan (null: not yet dated)'),
  to: dateSchema.nullable().describe('Planned date after the re-plan (null: no longer dated)'),
  reason: text(5_000),
  by: optionalText(200),
  approvedBy: optionalText(200).describe('Who approved it, where it needed approval'),
  approvedOn: dateSchema.optional().describe('When it was approved'),
});

/** A re-plan not (or not yet) in the plan: waiting for approval, or refused. */
export const replanRequestSchema = z.strictObject({
  on: dateSchema.describe('Date the re-plan was asked for'),
  from: dateSchema.nullable().describe('Planned date when it was asked for'),
  to: dateSchema.nullable().describe('Planned date asked for'),
  reason: text(5_000),
  by: optionalText(200),
  status: z.enum(['pending', 'refused']),
  decidedBy: optionalText(200).describe('Who refused it'),
  decidedOn: dateSchema.optional(),
  decisionNote: optionalText(5_000).describe('Why it was refused'),
});

/**
 * A file of evidence attached to a record: its bytes are in the evidence store, named by SHA-256,
 * never in the program file. An import checks that the store holds each one.
 */
export const attachmentSchema = z.strictObject({
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, { error: 'validation.sha256' })
    .describe('SHA-256 of the file, lower-case hex'),
  filename: text(200),
  mediaType: z
    .string()
    .regex(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/, { error: 'validation.media_type_format' })
    .max(200),
  size: z.number().int().positive(),
  description: optionalText(2_000),
  attachedBy: text(200).describe('Who attached it, e.g. user:alice'),
  attachedAt: instantSchema.describe('When it was attached'),
});

const attachments = z
  .array(attachmentSchema)
  .max(1_000)
  .default([])
  .describe('Files of evidence attached (uploaded through the web UI or the API)');

export const milestoneSchema = z.strictObject({
  code: codeSchema,
  title: text(500),
  committedOn: dateSchema.describe('Date the milestone was first committed to'),
  planned: dateSchema.nullable().default(null).describe('Current planned date (null: not yet dated)'),
  actual: dateSchema.optional(),
  dependsOn: codeList().default([]),
  replans: z.array(replanSchema).default([]),
  replanRequests: z
    .array(replanRequestSchema)
    .default([])
    .describe('Re-plans waiting for approval (at most one) or refused; they do not change the plan'),
  attachments,
  ...provenance,
});

export const verificationSchema = z.strictObject({
  code: codeSchema,
  method: text(2_000),
  plannedOn: dateSchema.optional(),
  performedOn: dateSchema.optional(),
  result: z.enum(VERIFICATION_RESULTS).optional(),
  evidence: optionalText(5_000),
  recurrence: z.enum(RECURRENCES).default('none'),
  followUpMeasure: codeSchema.optional().describe('Code of the measure added because of this result'),
  notes: optionalText(5_000),
  attachments,
  ...provenance,
});

export const measureSchema = z.strictObject({
  code: codeSchema,
  title: text(500),
  titleJa: optionalText(500),
  publicTitle: optionalText(500).describe(
    'The title the public pages show; a measure without one is counted, not named',
  ),
  publicTitleJa: optionalText(500),
  description: optionalText(20_000),
  category: z.enum(MEASURE_CATEGORIES),
  kind: z.enum(MEASURE_KINDS),
  owner: optionalText(200),
  organization: codeSchema.optional(),
  status: z.enum(MEASURE_STATUSES).default('planned'),
  adoptedOn: dateSchema
    .optional()
    .describe('Date the measure was adopted; when absent, the earliest committedOn of its milestones'),
  answers: codeList().default([]).describe('Codes of the directive items this measure answers'),
  concerns: codeList()
    .default([])
    .describe(
      'Codes of the organizations the measure is about: a provider it supervises, a shareholder whose control it reviews',
    ),
  milestones: z.array(milestoneSchema).default([]),
  verifications: z.array(verificationSchema).default([]),
  attachments,
  ...provenance,
});

export const systemSchema = z.strictObject({
  code: codeSchema,
  name: text(300),
  kind: z.enum(SYSTEM_KINDS),
  owner: codeSchema.optional().describe('Code of the owning organization'),
  criticality: z.enum(CRITICALITIES),
  dataClasses: z.array(text(100)).max(100).default([]),
  description: optionalText(5_000),
  ...provenance,
});

export const accessSchema = z.strictObject({
  code: codeSchema,
  organization: codeSchema,
  system: codeSchema,
  via: z.enum(ACCESS_VIAS),
  from: dateSchema.optional(),
  until: dateSchema.optional(),
  untilMilestone: codeSchema.optional().describe('Code of the milestone that ends this access'),
  description: optionalText(5_000),
  ...provenance,
});

export const linkSchema = z.strictObject({
  code: codeSchema,
  system: codeSchema.describe('Code of the system the link starts from'),
  reaches: codeSchema.describe('Code of the system it reaches'),
  via: z.enum(LINK_VIAS),
  from: dateSchema.optional(),
  until: dateSchema.optional(),
  untilMilestone: codeSchema.optional().describe('Code of the milestone that ends this link'),
  description: optionalText(5_000),
  ...provenance,
});

export const decisionSchema = z.strictObject({
  on: dateSchema.describe('Date the decision was made or reported'),
  decision: z.enum(DECISIONS),
  targetDate: dateSchema.optional(),
  reason: optionalText(5_000),
  by: optionalText(200),
});

export const relationshipSchema = z.strictObject({
  code: codeSchema,
  title: text(500),
  customer: codeSchema,
  provider: codeSchema,
  scope: z.enum(RELATIONSHIP_SCOPES),
  startedOn: dateSchema.optional().describe('Date the relationship began, when it began during the program'),
  description: optionalText(20_000),
  systems: codeList().default([]),
  measures: codeList().default([]),
  decisions: z
    .array(decisionSchema)
    .default([])
    .describe('Decision history, oldest first; the last one holds'),
  ...provenance,
});

export const programFileSchema = z.strictObject({
  oversight: z.literal(FORMAT_VERSION, { error: 'validation.format_version' }),
  program: programInfoSchema,
  organizations: z.array(organizationSchema).default([]),
  ownerships: z.array(ownershipSchema).default([]),
  incidents: z.array(incidentSchema).default([]),
  directives: z.array(directiveSchema).default([]),
  systems: z.array(systemSchema).default([]),
  measures: z.array(measureSchema).default([]),
  access: z.array(accessSchema).default([]),
  links: z.array(linkSchema).default([]).describe('Links between systems, along which exposure paths run'),
  relationships: z.array(relationshipSchema).default([]),
  lint: lintSettingsSchema.optional().describe('Readiness-lint settings of this program'),
  tiering: tieringSettingsSchema
    .optional()
    .describe('Contractor-tiering rules of this program (built-in METI rules when absent)'),
});

export type ProgramFile = z.infer<typeof programFileSchema>;
export type ProgramInfo = z.infer<typeof programInfoSchema>;
export type OrganizationInput = z.infer<typeof organizationSchema>;
export type OwnershipInput = z.infer<typeof ownershipSchema>;
export type IncidentInput = z.infer<typeof incidentSchema>;
export type DirectiveInput = z.infer<typeof directiveSchema>;
export type MeasureInput = z.infer<typeof measureSchema>;
export type MilestoneInput = z.infer<typeof milestoneSchema>;
export type ReplanInput = z.infer<typeof replanSchema>;
export type VerificationInput = z.infer<typeof verificationSchema>;
export type SystemInput = z.infer<typeof systemSchema>;
export type AccessInput = z.infer<typeof accessSchema>;
export type LinkInput = z.infer<typeof linkSchema>;
export type RelationshipInput = z.infer<typeof relationshipSchema>;
export type DecisionInput = z.infer<typeof decisionSchema>;
export type AttachmentInput = z.infer<typeof attachmentSchema>;
