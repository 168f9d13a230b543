import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { visit } from 'jsonc-parser';
const data = parse(readFileSync('/tmp/s10.yaml','utf8'));
const json = JSON.stringify(data, null, 2);
let t=performance.now();
const stack: Set<string>[] = []; let dup = 0;
visit(json, {
  onObjectBegin: () => { stack.push(new Set()); },
  onObjectEnd: () => { stack.pop(); },
  onObjectProperty: (k) => { const s = stack[stack.length-1]!; if (s.has(k)) dup++; s.add(k); },
}, { disallowComments: true, allowTrailingComma: false });
console.log('visit', performance.now()-t, dup, json.length);
