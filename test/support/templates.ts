/**
 * DOCX templates for the tests, made from the starter template as a program office would make
 * theirs (its own paragraphs added in Word), and a reader of what a rendered DOCX says that does not
 * share the zip code the renderer uses (node:zlib, as test/reports/docx.test.ts reads files).
 */
import { inflateRawSync } from 'node:zlib';
import PizZip from 'pizzip';
import { starterTemplate } from '../../src/reports/starter-template.ts';

/** The program office's own words in the test templates. */
export const LETTERHEAD = 'Security Governance Office — 総務省 総合通信基盤局 御中';

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const paragraph = (text: string) =>
  `<w:p><w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`;

/** The starter template with paragraphs of one's own at the top of its body. */
export async function templateWith(...paragraphs: string[]): Promise<Buffer> {
  const zip = new PizZip(await starterTemplate());
  const document = zip.file('word/document.xml')!.asText();
  const at = document.indexOf('<w:body>') + '<w:body>'.length;
  zip.file(
    'word/document.xml',
    document.slice(0, at) + paragraphs.map(paragraph).join('') + document.slice(at),
  );
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' }) as Buffer;
}

/** A program's own template: the starter with its letterhead. */
export const programTemplate = () => templateWith(LETTERHEAD);

/** The parts of a zip file, inflated with node:zlib. */
export function unzip(zip: Buffer): Map<string, Buffer> {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip file');
  const out = new Map<string, Buffer>();
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = zip.readUInt16LE(eocd + 10); i > 0; i--) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + size);
    out.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

/** What a DOCX's body says: the text of each paragraph (and table cell), one per line. */
export function docxText(docx: Buffer, part = 'word/document.xml'): string {
  const xml = unzip(docx).get(part)?.toString('utf8');
  if (xml === undefined) throw new Error(`no ${part}`);
  const unescapeXml = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
    .map((p) =>
      [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:br\/>/g)]
        .map((m) => (m[0] === '<w:br/>' ? '\n' : unescapeXml(m[1]!)))
        .join(''),
    )
    .join('\n');
}
