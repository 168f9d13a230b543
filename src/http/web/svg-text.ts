/**
 * Text in server-drawn SVG, where nothing can measure it: an estimate of its width (CJK and
 * full-width characters one em, Latin about 0.6 em), and wrapping or cutting it to a width.
 */

/**
 * Japanese-capable fonts first: the PDF renderer embeds Noto Sans JP; headless Chromium on Debian
 * has IPA's (the proportional IPAPGothic before the fixed-width IPAGothic, for Latin text).
 */
export const DIAGRAM_FONT =
  '"Noto Sans JP", "IPAPGothic", "IPAGothic", "Hiragino Sans", "Yu Gothic UI", Meiryo, sans-serif';

const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;
const NARROW = /[ilj.,:;'|!()[\]ftr]/;

/** Estimated width of `text` at `size` px: CJK and full-width characters 1 em, capitals 0.66 em, other Latin ~0.56 em. */
export function textWidth(text: string, size: number): number {
  let em = 0;
  for (const ch of text) {
    if (WIDE.test(ch)) em += 1;
    else if (ch === ' ' || NARROW.test(ch)) em += 0.32;
    else if (/[A-Z0-9%@#&]/.test(ch)) em += 0.66;
    else em += 0.56;
  }
  return em * size;
}

/** Words of Latin text (with their trailing spaces) and single CJK characters: the places a line may break. */
function tokens(text: string): string[] {
  const out: string[] = [];
  let word = '';
  for (const ch of text) {
    if (WIDE.test(ch)) {
      if (word) out.push(word);
      out.push(ch);
      word = '';
    } else if (ch === ' ') {
      word += ch;
    } else {
      if (word.endsWith(' ')) {
        out.push(word);
        word = '';
      }
      word += ch;
    }
  }
  if (word) out.push(word);
  return out;
}

/** `text` cut to `max` px with an ellipsis. */
export function truncate(text: string, max: number, size: number): string {
  if (textWidth(text, size) <= max) return text;
  const chars = [...text];
  while (chars.length > 0 && textWidth(`${chars.join('').trimEnd()}…`, size) > max) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/** Lines of at most `max` px, at most `maxLines` of them; the last one ends in an ellipsis when text was left out. */
export function wrapText(text: string, max: number, size: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  const push = () => {
    if (line.trim()) lines.push(line.trimEnd());
    line = '';
  };
  for (const token of tokens(text.trim().replace(/\s+/g, ' '))) {
    if (textWidth((line + token).trimEnd(), size) <= max) line += token;
    else {
      push();
      // A word longer than the line is broken between characters.
      for (const ch of token.trimStart()) {
        if (textWidth(line + ch, size) > max) push();
        line += ch;
      }
    }
  }
  push();
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = truncate(`${kept[maxLines - 1]}…`, max, size);
  return kept;
}
