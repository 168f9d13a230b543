/** The readiness-lint rules: stable ids, and the severity each has unless a program re-grades it. */
export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RULES = {
  'item-unanswered': 'error',
  'measure-answers-nothing': 'warning',
  'measure-undated': 'error',
  'relationship-undecided': 'error',
  'decision-undated': 'error',
  'milestone-overdue': 'error',
  'long-horizon': 'warning',
  'verification-missing': 'warning',
  'ineffective-without-follow-up': 'error',
  'reverification-due': 'warning',
  'shared-system-unseparated': 'error',
  'provider-control-unaddressed': 'error',
  'vague-wording': 'warning',
  'deadline-with-errors': 'error',
  'status-mismatch': 'warning',
  'provider-tier-unmet': 'error',
  'disclosure-overdue': 'warning',
} as const satisfies Record<string, Severity>;

export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as RuleId[];
