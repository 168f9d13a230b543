/** Writes schema/program.schema.json, the published JSON Schema of program files, from the zod schema. */
import { writeFileSync } from 'node:fs';
import { programFileJsonSchema } from '../src/domain/program-file/json-schema.ts';

const target = new URL('../schema/program.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(programFileJsonSchema(), null, 2)}\n`);
console.log(`Wrote ${target.pathname}`);
