/** The JSON Schema of program files, derived from the zod schema (the one source of truth). */
import { z } from 'zod';
import { programFileSchema } from './schema.ts';

export function programFileJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(programFileSchema, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return {
    $schema: schema.$schema,
    $id: 'urn:oversight:schema:program-file:1',
    title: 'Oversight program file',
    description:
      'A whole remediation program as text: organizations, directives and their items, measures with milestones and verifications, systems, access and outsourcing relationships. Records refer to each other by codes.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
