/** One report, in any of its formats: the bytes, their media type and the file extension. */
import type { Language } from '../i18n/index.ts';
import { renderDocx } from './docx.ts';
import { renderTemplate } from './docx-template.ts';
import { renderHtml } from './html.tsx';
import { renderMarkdown } from './markdown.ts';
import type { ReportModel } from './model.ts';
import { renderOscalPoam } from './oscal.ts';
import { renderPdf } from './pdf.ts';

export const REPORT_FORMATS = ['html', 'pdf', 'docx', 'md', 'oscal'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const MEDIA_TYPES: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  md: 'text/markdown; charset=utf-8',
  oscal: 'application/json; charset=utf-8',
};

export const EXTENSIONS: Record<ReportFormat, string> = {
  html: 'html',
  pdf: 'pdf',
  docx: 'docx',
  md: 'md',
  oscal: 'oscal-poam.json',
};

export interface RenderOptions {
  lang: Language;
  /** The instant the document says it was made (OSCAL's last-modified); the same instant gives the same bytes. */
  generatedAt: Date;
  /** A program's own DOCX template (checked on upload) to lay the DOCX out with, instead of the built-in layout. */
  template?: Uint8Array | undefined;
}

export async function renderReport(
  model: ReportModel,
  format: ReportFormat,
  options: RenderOptions,
): Promise<Buffer> {
  switch (format) {
    case 'html':
      return Buffer.from(renderHtml(model, options.lang));
    case 'md':
      return Buffer.from(renderMarkdown(model, options.lang));
    case 'pdf':
      return renderPdf(model, options.lang);
    case 'docx':
      return options.template
        ? renderTemplate(options.template, model, options.lang)
        : renderDocx(model, options.lang);
    case 'oscal':
      return Buffer.from(
        renderOscalPoam(model, { lang: options.lang, generatedAt: options.generatedAt.toISOString() }),
      );
  }
}
