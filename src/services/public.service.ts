/**
 * The public side of a program: no sign-in, and nothing but the public view (domain/public-view.ts)
 * and the published updates. A program without a public name has no public pages: it answers as
 * if it did not exist.
 */
import { readProgram } from '../db/program-reader.ts';
import { todayIn } from '../domain/dates.ts';
import { notFound } from '../domain/errors.ts';
import { type PublicView, publicView } from '../domain/public-view.ts';
import { inclusionProofOf, latestCheckpoint } from './audit-log.service.ts';
import type { Reader } from './context.ts';
import { type Disclosure, publishedContent, publishedDisclosures } from './disclosure.service.ts';

export interface PublishedUpdate extends Disclosure {
  /** The audit event that published it, and its inclusion proof once a signed checkpoint covers it. */
  seq: number | null;
  proof: Awaited<ReturnType<typeof inclusionProofOf>> | null;
  /** What the SHA-256 covers, as JSON (RFC 8785 canonicalization is applied to this). */
  content: ReturnType<typeof publishedContent>;
  /** The updates that correct this one (newest first). */
  correctedBy: number[];
}

export interface PublicSite {
  view: PublicView;
  updates: PublishedUpdate[];
  checkpoint: { size: number; note: string } | undefined;
}

export async function publicViewOf(reader: Pick<Reader, 'db'>, programCode: string): Promise<PublicView> {
  const snapshot = await readProgram(reader.db, programCode);
  const view = snapshot && publicView(snapshot.file, todayIn(snapshot.file.program.timeZone));
  if (!view) throw notFound('program', programCode);
  return view;
}

/**
 * Everything the public pages of a program show. A proof reads every leaf of the log, so a request
 * for one page asks only for the proof it shows (`proofsFor`: an update's number); the export, all.
 */
export async function publicSiteOf(
  reader: Pick<Reader, 'db'>,
  programCode: string,
  proofsFor: number | 'all' | 'none' = 'all',
): Promise<PublicSite> {
  const view = await publicViewOf(reader, programCode);
  const published = await publishedDisclosures(reader, programCode);
  const checkpoint = await latestCheckpoint(reader.db);
  const events = await reader.db
    .selectFrom('audit_events')
    .select(['seq', 'entity_id'])
    .where('action', '=', 'disclosure.published')
    .where('entity_id', 'in', published.map((d) => d.id).concat(['00000000-0000-0000-0000-000000000000']))
    .execute();
  const updates: PublishedUpdate[] = [];
  for (const d of published) {
    const seq = events.find((e) => e.entity_id === d.id)?.seq;
    const n = seq === undefined || seq === null ? null : Number(seq);
    const wanted = proofsFor === 'all' || proofsFor === d.number;
    const proof =
      wanted && n !== null && checkpoint && n <= checkpoint.size
        ? await inclusionProofOf(reader.db, n)
        : null;
    updates.push({
      ...d,
      seq: n,
      proof,
      content: publishedContent(d),
      correctedBy: published.filter((x) => x.corrects?.id === d.id).map((x) => x.number),
    });
  }
  return { view, updates, checkpoint };
}
