/**
 * The vocabulary of report templates as Markdown, for docs/report-templates.md: written there by
 * `npm run template-docs` (scripts/write-template-docs.ts), and a test holds the docs to it.
 */
import { HEADINGS, LABELS, REPORT, type Scope } from './template-vocabulary.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|');

export function vocabularyMarkdown(): string {
  // Each kind of element once, with the names of the loops that repeat it.
  const scopes = new Map<Scope, string[]>([[REPORT, []]]);
  const walk = (scope: Scope) => {
    for (const [name, slot] of Object.entries(scope.slots)) {
      if (slot.kind !== 'list') continue;
      const loops = scopes.get(slot.of);
      if (loops) {
        if (!loops.includes(name)) loops.push(name);
        continue;
      }
      scopes.set(slot.of, [name]);
      walk(slot.of);
    }
  };
  walk(REPORT);
  const generated = new Set([...Object.keys(HEADINGS), ...Object.keys(LABELS)]);
  const out: string[] = [];
  for (const [scope, paths] of scopes) {
    out.push(
      paths.length === 0
        ? '### The report (outside any loop)'
        : `### Inside ${paths.map((p) => `\`{#${p}}\``).join(', ')}`,
      '',
      `One element: ${scope.element}.`,
      '',
      '| placeholder | kind | what it gives |',
      '| --- | --- | --- |',
    );
    for (const [name, slot] of Object.entries(scope.slots)) {
      if (generated.has(name)) continue;
      const tag = slot.kind === 'text' ? `{${name}}` : `{#${name}}…{/${name}}`;
      out.push(`| \`${tag}\` | ${slot.kind === 'flag' ? 'condition' : slot.kind} | ${cell(slot.about)} |`);
    }
    if (paths.length === 0) {
      out.push(
        '',
        'Section headings, in the report’s language:',
        '',
        Object.entries(HEADINGS)
          .map(([name, key]) => `\`{${name}}\` (${key})`)
          .join(', '),
        '',
        'Words for a template’s own column headers and notes, in the report’s language:',
        '',
        Object.entries(LABELS)
          .map(([name, key]) => `\`{${name}}\` (${key})`)
          .join(', '),
      );
    }
    out.push('');
  }
  return out.join('\n');
}
