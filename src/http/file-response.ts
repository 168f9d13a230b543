/**
 * Files as HTTP responses: evidence and reports, with their media type, their name, and for stored
 * files their SHA-256 (RFC 9530 Repr-Digest). One place, for the API and the pages alike.
 */
import type { Context } from 'hono';
import { AppError } from '../domain/errors.ts';
import type { Language } from '../i18n/index.ts';
import type { ReportModel } from '../reports/model.ts';
import { EXTENSIONS, MEDIA_TYPES, type ReportFormat, renderReport } from '../reports/render.ts';
import { STARTER_TEMPLATE_NAME, starterTemplateOnce } from '../reports/starter-template.ts';
import { reportFileName } from '../reports/text.ts';
import { readReportTemplate } from '../services/report-template.service.ts';
import type { AppEnv } from './env.ts';

const reprDigest = (sha256: string) => `sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`;

export function evidenceResponse(
  c: Context<AppEnv>,
  file: { bytes: Uint8Array; mediaType: string; filename: string; sha256: string },
): Response {
  c.header('content-type', file.mediaType);
  c.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
  c.header('repr-digest', reprDigest(file.sha256));
  return c.body(new Uint8Array(file.bytes));
}

/** A submitted report's stored file, as it was hashed. */
export function storedReportResponse(
  c: Context<AppEnv>,
  file: { bytes: Uint8Array; mediaType: string; sha256: string },
): Response {
  c.header('content-type', file.mediaType);
  c.header('repr-digest', reprDigest(file.sha256));
  return c.body(new Uint8Array(file.bytes));
}

/** A report rendered now (a preview): binary formats come as a download with the report's file name. */
export async function renderedReportResponse(
  c: Context<AppEnv>,
  model: ReportModel,
  format: ReportFormat,
  lang: Language,
  /** The program's DOCX template to lay a DOCX out with (the built-in layout when absent). */
  template?: Uint8Array,
): Promise<Response> {
  const bytes = await renderReport(model, format, { lang, generatedAt: new Date(), template });
  c.header('content-type', MEDIA_TYPES[format]);
  if (format === 'pdf' || format === 'docx')
    c.header(
      'content-disposition',
      `attachment; filename="${reportFileName(model, lang, EXTENSIONS[format])}"`,
    );
  return c.body(new Uint8Array(bytes));
}

/** A version of a program's report template, by the number in the path (else 404), its hash checked again. */
export async function templateVersionResponse(c: Context<AppEnv>, program: string, raw: string) {
  if (!/^[1-9]\d{0,8}$/.test(raw))
    throw new AppError('not_found', 'errors.not_found', {
      entity: 'report template',
      code: raw.slice(0, 40),
    });
  const v = await readReportTemplate(c.var.ctx, program, Number(raw));
  return evidenceResponse(c, { ...v, mediaType: MEDIA_TYPES.docx });
}

/** The starter template, made from code: every section of the report as placeholders. */
export async function starterTemplateResponse(c: Context<AppEnv>) {
  c.header('content-type', MEDIA_TYPES.docx);
  c.header('content-disposition', `attachment; filename="${STARTER_TEMPLATE_NAME}"`);
  return c.body(new Uint8Array(await starterTemplateOnce()));
}
