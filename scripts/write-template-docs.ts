/**
 * Writes the placeholders of report templates into docs/report-templates.md, between its
 * `<!-- placeholders -->` and `<!-- /placeholders -->` marks, from the vocabulary the upload check
 * and the renderer use (src/reports/template-vocabulary.ts); and the starter template, when asked
 * (`--starter FILE`), so it can be opened in Word without the server.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { starterTemplate } from '../src/reports/starter-template.ts';
import { vocabularyMarkdown } from '../src/reports/template-docs.ts';

const target = new URL('../docs/report-templates.md', import.meta.url);
const text = readFileSync(target, 'utf8');
const open = '<!-- placeholders -->\n';
const close = '<!-- /placeholders -->';
const from = text.indexOf(open);
const to = text.indexOf(close);
if (from < 0 || to < from) throw new Error(`${target.pathname} has no ${open.trim()} … ${close} marks`);
writeFileSync(target, `${text.slice(0, from + open.length)}\n${vocabularyMarkdown()}\n${text.slice(to)}`);
// Biome formats Markdown too (it lines the tables up); the test compares the tables cell by cell.
const biome = new URL('../node_modules/.bin/biome', import.meta.url).pathname;
const formatted = spawnSync(biome, ['format', '--write', target.pathname], { stdio: 'inherit' });
if (formatted.status !== 0) process.exitCode = 1;
console.log(`Wrote ${target.pathname}`);

const at = process.argv.indexOf('--starter');
if (at > 0 && process.argv[at + 1]) {
  writeFileSync(process.argv[at + 1]!, await starterTemplate());
  console.log(`Wrote ${process.argv[at + 1]}`);
}
