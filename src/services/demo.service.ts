/** Seeds the demo program (examples/ly-2024.yaml) on the first start of an empty database. */
import { readFile } from 'node:fs/promises';
import { AppError } from '../domain/errors.ts';
import { type ServiceContext, write } from './context.ts';
import { importProgramText } from './program-file.service.ts';

export const DEMO_FILE = new URL('../../examples/ly-2024.yaml', import.meta.url);
const SEEDED = 'demo_seeded';

/** Imports the demo once per database; returns true when it did. Deleting the demo later does not bring it back. */
export async function seedDemoOnFirstStart(ctx: ServiceContext): Promise<boolean> {
  const seeded = await ctx.db
    .selectFrom('app_meta')
    .select('value')
    .where('key', '=', SEEDED)
    .executeTakeFirst();
  if (seeded) return false;
  const programs = await ctx.db.selectFrom('programs').select('id').limit(1).execute();
  if (programs.length === 0) {
    try {
      await importProgramText(ctx, await readFile(DEMO_FILE, 'utf8'));
    } catch (err) {
      // Another server starting on the same database seeded it first.
      if (!(err instanceof AppError && err.code === 'conflict')) throw err;
    }
  }
  await write(ctx, async (trx) => {
    await trx
      .insertInto('app_meta')
      .values({ key: SEEDED, value: new Date().toISOString() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  });
  return programs.length === 0;
}
