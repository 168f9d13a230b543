/** Packages that ship no types: the parts of them the PDF renderer uses. */
/** svg-to-pdfkit 0.1.8: the one function the PDF renderer calls. */
declare module 'svg-to-pdfkit' {
  interface SVGtoPDFOptions {
    width?: number;
    height?: number;
    preserveAspectRatio?: string;
    assumePt?: boolean;
    precision?: number;
    fontCallback?: (family: string, bold: boolean, italic: boolean, options: object) => string;
    warningCallback?: (message: string) => void;
  }
  function SVGtoPDF(
    doc: PDFKit.PDFDocument,
    svg: string,
    x: number,
    y: number,
    options?: SVGtoPDFOptions,
  ): void;
  export default SVGtoPDF;
}

declare module 'fontkit' {
  /** A parsed font; pdfkit embeds it as it embeds a font file. */
  export interface Font {
    layout(text: string): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
