/** A program's lint settings: thresholds, and rules switched off or re-graded. Kept in the program and its file. */
import { z } from 'zod';
import { RULE_IDS, RULES, type RuleId, SEVERITIES, type Severity } from './ids.ts';

/** The settings as a program states them: every field optional, nothing filled in. */
export const lintSettingsSchema = z.strictObject({
  horizonMonths: z
    .number()
    .int()
    .min(1)
    .max(240)
    .optional()
    .describe(
      'long-horizon: a plan ending more than this many months out needs an acceleration considered (18)',
    ),
  verificationWindowMonths: z
    .number()
    .int()
    .min(0)
    .max(120)
    .optional()
    .describe('verification-missing: measures due within this many months need a verification planned (12)'),
  deadlineDays: z
    .number()
    .int()
    .min(0)
    .max(365)
    .optional()
    .describe('deadline-with-errors: a report due within this many days must have no open errors (30)'),
  rules: z
    .partialRecord(z.enum(RULE_IDS as [RuleId, ...RuleId[]]), z.enum([...SEVERITIES, 'off']))
    .optional()
    .describe('Rules re-graded (error, warning, info) or switched off'),
});

export type LintSettings = z.output<typeof lintSettingsSchema>;

export interface LintConfig {
  horizonMonths: number;
  verificationWindowMonths: number;
  deadlineDays: number;
  rules: Partial<Record<RuleId, Severity | 'off'>>;
}

export function resolveLintConfig(settings: LintSettings | undefined): LintConfig {
  return {
    horizonMonths: settings?.horizonMonths ?? 18,
    verificationWindowMonths: settings?.verificationWindowMonths ?? 12,
    deadlineDays: settings?.deadlineDays ?? 30,
    rules: settings?.rules ?? {},
  };
}

/** The severity a rule has in this program, or undefined when it is switched off. */
export function severityOf(config: LintConfig, rule: RuleId): Severity | undefined {
  const set = config.rules[rule];
  if (set === 'off') return undefined;
  return set ?? RULES[rule];
}
