/**
 * The public side of a program: no sign-in, and nothing but the public view (domain/public-view.ts).
 * A program without a public name has no public page: it answers as if it did not exist.
 */
import { readProgram } from '../db/program-reader.ts';
import { todayIn } from '../domain/dates.ts';
import { notFound } from '../domain/errors.ts';
import { type PublicView, publicView } from '../domain/public-view.ts';
import type { Reader } from './context.ts';

export async function publicViewOf(reader: Pick<Reader, 'db'>, programCode: string): Promise<PublicView> {
  const snapshot = await readProgram(reader.db, programCode);
  const view = snapshot && publicView(snapshot.file, todayIn(snapshot.file.program.timeZone));
  if (!view) throw notFound('program', programCode);
  return view;
}
