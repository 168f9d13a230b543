/**
 * The starter template: a DOCX made here, from code, that uses the vocabulary's placeholders for
 * every section of the report, so a program office can open it in Word, restyle it, add its own
 * letterhead and wording, and upload it. It holds no words of its own — headings and column
 * headers are placeholders too — so one template reads right in Japanese and in English.
 *
 * Reproducible: the same code gives the same bytes (fixed dates in the properties and the zip).
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import {
  FONT_JAPANESE,
  FONT_LATIN,
  HEADER_FILL,
  MUTED,
  NAVY,
  PAGE,
  stampZip,
  TABLE_TEXT_STYLE,
  TEXT_WIDTH,
} from './docx.ts';

/** The day the starter's files are dated to. */
const DATED = '2024-01-01';

const p = (
  text: string,
  o: { heading?: (typeof HeadingLevel)[keyof typeof HeadingLevel]; style?: string } = {},
) => new Paragraph({ children: [new TextRun(text)], ...o });
const centred = (text: string, run: { bold?: boolean; size?: number; color?: string } = {}, after = 120) =>
  new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { after },
    children: [new TextRun({ text, ...run })],
  });
/** A loop's opening or closing tag alone in its paragraph: docxtemplater drops the paragraph. */
const tag = (text: string) => p(text);

const border = { style: BorderStyle.SINGLE, size: 4, color: 'A6A6A6' } as const;
const borders = { top: border, bottom: border, left: border, right: border };

function cell(text: string, width: number, header = false): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    borders,
    ...(header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: HEADER_FILL } } : {}),
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    children: [
      new Paragraph({
        style: 'TableText',
        children: text
          .split('\n')
          .map((line, i) => new TextRun({ text: line, bold: header, ...(i > 0 ? { break: 1 } : {}) })),
      }),
    ],
  });
}

/**
 * A table with a header row and one row repeated by a loop: the loop opens in the first cell and
 * closes in the last, which docxtemplater takes as "repeat this row".
 */
function loopTable(loop: string, columns: Array<[header: string, content: string, weight: number]>): Table {
  const total = columns.reduce((n, c) => n + c[2], 0);
  const widths = columns.map((c) => Math.floor((TEXT_WIDTH * c[2]) / total));
  const last = columns.length - 1;
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    rows: [
      new TableRow({ tableHeader: true, children: columns.map((c, i) => cell(c[0], widths[i]!, true)) }),
      new TableRow({
        children: columns.map((c, i) =>
          cell(`${i === 0 ? `{#${loop}}` : ''}${c[1]}${i === last ? `{/${loop}}` : ''}`, widths[i]!),
        ),
      }),
    ],
  });
}

/** What the list shows when it is empty: `{^list}` … `{/list}`. */
const whenEmpty = (loop: string, label: string) => [tag(`{^${loop}}`), p(`{${label}}`), tag(`{/${loop}}`)];

function body() {
  return [
    new Paragraph({ style: 'Title', children: [new TextRun('{title}')] }),
    centred('{organization}', { bold: true, size: 26 }, 360),
    centred('{subtitle}'),
    centred('{directiveTitle}', { color: MUTED }, 240),
    centred('{asOfLine}'),
    new Paragraph({ spacing: { before: 480, after: 240 }, children: [new TextRun('{cover}')] }),
    p('{summary}'),
    centred('{generated}', { size: 16, color: MUTED }, 0),

    new Paragraph({
      heading: HeadingLevel.HEADING_1,
      pageBreakBefore: true,
      children: [new TextRun('{headingItems}')],
    }),
    tag('{#items}'),
    tag('{^bullet}'),
    p('{heading}', { heading: HeadingLevel.HEADING_2 }),
    tag('{/bullet}'),
    tag('{#bullet}'),
    p('{heading}', { heading: HeadingLevel.HEADING_3 }),
    tag('{/bullet}'),
    tag('{#measures}'),
    new Paragraph({
      indent: { left: 360 },
      spacing: { before: 120 },
      children: [new TextRun({ text: '{code}  {title}', bold: true })],
    }),
    new Paragraph({
      indent: { left: 360 },
      children: [new TextRun({ text: '{statusLine}', size: 19, color: MUTED })],
    }),
    tag('{/measures}'),
    tag('{#unanswered}'),
    new Paragraph({ children: [new TextRun({ text: '{labelNoMeasures}', color: MUTED })] }),
    tag('{/unanswered}'),
    tag('{/items}'),

    p('{headingChanges}', { heading: HeadingLevel.HEADING_1 }),
    p('{previous}'),
    tag('{#changes}'),
    new Paragraph({
      bullet: { level: 0 },
      children: [new TextRun({ text: '{kind}: ', bold: true }), new TextRun('{text}')],
    }),
    tag('{#reasons}'),
    new Paragraph({
      bullet: { level: 1 },
      children: [new TextRun({ text: '{labelReason}: {reason}', size: 19, color: MUTED })],
    }),
    tag('{/reasons}'),
    tag('{/changes}'),
    ...whenEmpty('changes', 'labelNoChanges'),

    p('{headingPlan}', { heading: HeadingLevel.HEADING_1 }),
    tag('{#measures}'),
    new Paragraph({
      keepNext: true,
      spacing: { before: 200, after: 80 },
      children: [new TextRun({ text: '{code}  {title}', bold: true })],
    }),
    loopTable('milestones', [
      // Wide enough for 2024年12月31日 on one line.
      ['{labelMilestone}', '{code}\n{title}', 2.8],
      ['{labelBaseline}', '{baseline}', 1.75],
      ['{labelPlanned}', '{planned}', 1.75],
      ['{labelActual}', '{actual}', 1.75],
      ['{labelSlip}', '{slip}{#late} ({labelLate}){/late}', 1.6],
    ]),
    tag('{/measures}'),

    p('{headingRelationships}', { heading: HeadingLevel.HEADING_1 }),
    loopTable('relationships', [
      ['{labelRelationship}', '{code}\n{title}', 2.6],
      ['{labelProvider}', '{provider}', 1.6],
      ['{labelScope}', '{scope}', 1.4],
      ['{labelDecision}', '{decision}', 1.3],
      ['{labelByWhen}', '{byWhen}', 1.5],
      ['{labelReason}', '{reason}', 2.2],
    ]),
    ...whenEmpty('relationships', 'labelNoRelationships'),

    p('{headingGovernance}', { heading: HeadingLevel.HEADING_1 }),
    loopTable('governance', [
      ['{labelMeasure}', '{code}\n{title}', 5],
      ['{labelDeclared}', '{status}', 1.4],
      ['{labelDerived}', '{derived}', 1.6],
      ['{labelCommitted}', '{committed}', 1.6],
    ]),
    ...whenEmpty('governance', 'labelNoGovernance'),

    p('{headingDamage}', { heading: HeadingLevel.HEADING_1 }),
    tag('{#damage}'),
    p('{incident}  {title}', { heading: HeadingLevel.HEADING_2 }),
    loopTable('records', [
      ['{labelCategory}', '{category}', 4],
      ['{labelCount}', '{count}', 1.5],
      ['{labelStatus}', '{status}', 1.5],
      ['{labelCountedOn}', '{countedOn}', 1.6],
    ]),
    p(''),
    loopTable('monthly', [
      ['{labelMonth}', '{month}', 1.6],
      ['{labelKind}', '{kind}', 3],
      ['{labelReports}', '{reports}', 1.5],
      ['{labelCount}', '{count}', 1.5],
    ]),
    tag('{/damage}'),
    ...whenEmpty('damage', 'labelNoDamage'),

    p('{headingFindings}', { heading: HeadingLevel.HEADING_1 }),
    loopTable('findings', [
      ['{labelSeverity}', '{severity}', 1.2],
      ['{labelFinding}', '{code}\n{text}', 8],
    ]),
    ...whenEmpty('findings', 'labelNoFindings'),
  ];
}

/** docProps/core.xml: the title is a placeholder too, and the dates are fixed. */
const CORE =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
  'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
  'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
  '<dc:title>{title}</dc:title><dc:subject>{directive}</dc:subject><dc:creator>{organization}</dc:creator>' +
  '<cp:revision>1</cp:revision>' +
  `<dcterms:created xsi:type="dcterms:W3CDTF">${DATED}T00:00:00Z</dcterms:created>` +
  `<dcterms:modified xsi:type="dcterms:W3CDTF">${DATED}T00:00:00Z</dcterms:modified>` +
  '</cp:coreProperties>';

export const STARTER_TEMPLATE_NAME = 'oversight-report-template.docx';

let made: Promise<Buffer> | undefined;
/** The starter template, made once per process (for downloads). */
export const starterTemplateOnce = (): Promise<Buffer> => {
  made ??= starterTemplate();
  return made;
};

export async function starterTemplate(): Promise<Buffer> {
  const doc = new Document({
    title: '{title}',
    styles: {
      default: {
        document: {
          run: {
            font: { ascii: FONT_LATIN, hAnsi: FONT_LATIN, eastAsia: FONT_JAPANESE, cs: FONT_LATIN },
            size: 21,
          },
          paragraph: { spacing: { after: 80, line: 300 } },
        },
        title: {
          run: { size: 36, bold: true, color: NAVY },
          paragraph: { spacing: { before: 2400, after: 480 }, alignment: AlignmentType.CENTER },
        },
        heading1: {
          run: { size: 30, bold: true, color: NAVY },
          paragraph: {
            outlineLevel: 0,
            spacing: { before: 480, after: 200 },
            keepNext: true,
            border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: NAVY, space: 2 } },
          },
        },
        heading2: {
          run: { size: 24, bold: true, color: NAVY },
          paragraph: { outlineLevel: 1, spacing: { before: 320, after: 120 }, keepNext: true },
        },
        heading3: {
          run: { size: 21, bold: true, color: '2F5496' },
          paragraph: {
            outlineLevel: 2,
            spacing: { before: 240, after: 100 },
            keepNext: true,
            indent: { left: 360 },
          },
        },
      },
      paragraphStyles: [TABLE_TEXT_STYLE],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: { top: PAGE.margin, right: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin },
          },
        },
        headers: {
          default: new Header({
            children: [
              new Paragraph({
                alignment: AlignmentType.RIGHT,
                children: [
                  new TextRun({ text: '{organization} — {directive} — {asOfLine}', size: 16, color: MUTED }),
                ],
              }),
            ],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: [PageNumber.CURRENT, ' / ', PageNumber.TOTAL_PAGES] })],
              }),
            ],
          }),
        },
        children: body(),
      },
    ],
  });
  const packed = await Packer.toBuffer(doc, false, [{ path: 'docProps/core.xml', data: CORE }]);
  return stampZip(Buffer.from(packed), DATED);
}
