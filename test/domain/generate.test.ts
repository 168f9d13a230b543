/** The generated program: valid as a program file, the counts of its scale, the same for the same seed. */
import { describe, expect, it } from 'vitest';
import { generateProgram } from '../../src/domain/generate.ts';
import { parseProgramText } from '../../src/domain/program-file/parse.ts';
import { renderProgramFile } from '../../src/services/program-file.service.ts';

describe('the program generator', () => {
  it('writes a valid program of the scale-1 counts, the same for the same seed, another for another', () => {
    const file = generateProgram({ scale: 1, seed: 7 });
    const text = renderProgramFile(file, 'yaml');
    const back = parseProgramText(text);
    if (!back.ok) throw new Error(JSON.stringify(back.issues.slice(0, 5)));
    expect(file.measures).toHaveLength(300);
    expect(file.measures.reduce((k, m) => k + m.milestones.length, 0)).toBe(1_500);
    expect(file.relationships).toHaveLength(100);
    expect(file.systems).toHaveLength(300);
    expect(file.access).toHaveLength(1_000);
    expect(renderProgramFile(generateProgram({ scale: 1, seed: 7 }), 'yaml')).toBe(text);
    expect(renderProgramFile(generateProgram({ scale: 1, seed: 8 }), 'yaml')).not.toBe(text);
    expect(file.measures.some((m) => m.milestones.some((x) => x.replans.length > 0))).toBe(true);
  });

  it('multiplies every count with the scale', () => {
    const file = generateProgram({ scale: 3, seed: 1 });
    expect(file.measures).toHaveLength(900);
    expect(file.access).toHaveLength(3_000);
    expect(parseProgramText(renderProgramFile(file, 'json')).ok).toBe(true);
  });
});
