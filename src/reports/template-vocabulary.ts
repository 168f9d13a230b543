/**
 * The placeholders a program's own DOCX template may use: one vocabulary, in one place. The
 * upload check (`docx-template.ts`) refuses any tag it does not name, the renderer fills exactly
 * these from the report model (`templateData`), and docs/report-templates.md is written from it
 * (`npm run template-docs`), so what a user reads is what the check accepts and the renderer fills.
 *
 * Three kinds of slot: a text (`{name}`), a flag — a yes/no a template can only test, as a
 * condition (`{#late}…{/late}`, `{^late}…{/late}`) — and a list, repeated by a loop
 * (`{#measures}…{/measures}`; `{^measures}…{/measures}` shows its content when the list is empty).
 * Inside a loop the names of its element come first, then those of the loops around it, then the
 * report's own. Every text is already worded in the report's language.
 */

export type Slot =
  | { kind: 'text'; about: string }
  | { kind: 'flag'; about: string }
  | { kind: 'list'; about: string; of: Scope };

export interface Scope {
  /** What one element of the list is, for the docs. */
  element: string;
  slots: Readonly<Record<string, Slot>>;
}

const text = (about: string): Slot => ({ kind: 'text', about });
const flag = (about: string): Slot => ({ kind: 'flag', about });
const list = (about: string, of: Scope): Slot => ({ kind: 'list', about, of });

export const MILESTONE: Scope = {
  element: 'a dated step of a measure',
  slots: {
    code: text('its code'),
    title: text('its title'),
    measure: text('the code of its measure'),
    measureTitle: text('the title of its measure'),
    baseline: text('the first committed date'),
    planned: text('the planned date now'),
    actual: text('the day it was done, or —'),
    slip: text('planned against baseline, in words (30 days later, 91 days earlier)'),
    late: flag('it is late as of the report’s day'),
  },
};

const REPLAN: Scope = {
  element: 'a re-plan made since the previous report',
  slots: {
    milestone: text('the milestone moved'),
    on: text('the day it was re-planned'),
    from: text('the date before'),
    to: text('the date after'),
    shift: text('the move in days, in words'),
    reason: text('the reason given'),
    sentence: text('all of it as one sentence'),
  },
};

const VERIFICATION: Scope = {
  element: 'an effectiveness verification of a measure',
  slots: {
    code: text('its code'),
    method: text('how it is checked'),
    planned: text('when it is planned'),
    performed: text('when it was performed, or “not yet”'),
    result: text('effective / partly effective / ineffective, or “not yet”'),
    evidence: text('the evidence it names, or —'),
    followUp: text('the additional measure an ineffective result led to, or empty'),
  },
};

const EVIDENCE: Scope = {
  element: 'a file attached as evidence',
  slots: {
    target: text('the code of the measure, milestone or verification it proves'),
    filename: text('its file name'),
    sha256: text('its SHA-256 (64 hex digits)'),
  },
};

export const MEASURE: Scope = {
  element: 'a measure',
  slots: {
    code: text('its code'),
    title: text('its title (the Japanese one in a Japanese report, where it has one)'),
    category: text('its category'),
    kind: text('emergency or permanent'),
    owner: text('the team that owns it, or —'),
    status: text('its declared status'),
    derived: text('the status its milestones show'),
    committed: text('the last planned date of its milestones'),
    statusLine: text('declared and derived status, owner and committed date as one line'),
    illustrative: flag('it is an illustrative measure of the demo'),
    milestones: list('its milestones', MILESTONE),
    replans: list('re-plans of its milestones since the previous report', REPLAN),
    verifications: list('its effectiveness verifications', VERIFICATION),
    evidence: list('files attached as its evidence', EVIDENCE),
  },
};

const ITEM: Scope = {
  element: 'an item of the guidance, or one of its bullets (in the directive’s own order)',
  slots: {
    code: text('its code'),
    label: text('its label as the directive writes it, e.g. (1), or empty'),
    text: text('its text (the Japanese text in a Japanese report, where there is one)'),
    heading: text('label and text together'),
    depth: text('0 for an item, 1 for its bullets, and so on'),
    bullet: flag('it is a bullet of an item (depth above 0)'),
    unanswered: flag('no measure answers it, and it has no bullets to answer it instead'),
    measures: list('the measures that answer it', MEASURE),
  },
};

const REASON: Scope = {
  element: 'a reason given for a change',
  slots: { reason: text('the reason, as given') },
};

const CHANGE: Scope = {
  element: 'a change since the previous report',
  slots: {
    kind: text('what kind of change, e.g. Brought forward'),
    text: text('the change as a sentence'),
    reasons: list('the reasons given for it (re-plans, a decision), often none', REASON),
  },
};

const RELATIONSHIP: Scope = {
  element: 'an outsourcing relationship',
  slots: {
    code: text('its code'),
    title: text('its title'),
    provider: text('the provider'),
    scope: text('what is outsourced'),
    decision: text('reduce / terminate / maintain / undecided'),
    decidedOn: text('when decided, or —'),
    byWhen: text('the target date, or —'),
    reason: text('the reason of the decision, or —'),
    measureCodes: text('the measures that carry it out, by code'),
    systemCodes: text('the systems involved, by code'),
  },
};

const DAMAGE_RECORD: Scope = {
  element: 'records affected, by category',
  slots: {
    category: text('the category of data'),
    count: text('how many records'),
    status: text('confirmed / possible…'),
    countedOn: text('the day of the count, or “not dated”'),
  },
};

const DAMAGE_MONTH: Scope = {
  element: 'secondary-damage reports of one kind in one month',
  slots: {
    month: text('the month'),
    kind: text('the kind of damage'),
    reports: text('how many reports'),
    count: text('the count they give, or —'),
  },
};

const DAMAGE: Scope = {
  element: 'an incident with its secondary damage',
  slots: {
    incident: text('its code'),
    title: text('its title'),
    records: list('records affected by category', DAMAGE_RECORD),
    monthly: list('secondary-damage reports per month and kind', DAMAGE_MONTH),
  },
};

const FINDING: Scope = {
  element: 'an open issue found by our own review (the lint’s errors and warnings)',
  slots: {
    code: text('the code of the record it is about'),
    severity: text('error or warning, in words'),
    text: text('the issue as a sentence'),
    error: flag('it is an error (not a warning)'),
  },
};

/** Section headings, by the name a template uses and the message it comes from. */
export const HEADINGS = {
  headingItems: 'rpt.sectionItems',
  headingChanges: 'rpt.sectionChanges',
  headingPlan: 'rpt.sectionPlan',
  headingRelationships: 'rpt.sectionRelationships',
  headingGovernance: 'rpt.sectionGovernance',
  headingDamage: 'rpt.sectionDamage',
  headingFindings: 'rpt.sectionFindings',
  headingContents: 'rpt.contents',
} as const;

/**
 * Words for a template's own column headers and notes, so that one template reads right in both
 * languages: `{labelMilestone}` is “Milestone” in English and 「マイルストーン」 in Japanese.
 */
export const LABELS = Object.fromEntries(
  [
    'measure',
    'status',
    'declared',
    'derived',
    'owner',
    'committed',
    'milestone',
    'baseline',
    'planned',
    'actual',
    'slip',
    'late',
    'replans',
    'verifications',
    'method',
    'performed',
    'result',
    'evidence',
    'relationship',
    'provider',
    'scope',
    'decision',
    'decidedOn',
    'byWhen',
    'reason',
    'carriedBy',
    'incident',
    'category',
    'count',
    'countedOn',
    'month',
    'kind',
    'reports',
    'finding',
    'severity',
    'noMeasures',
    'noChanges',
    'noFindings',
    'noDamage',
    'noRelationships',
    'noGovernance',
  ].map((k) => [`label${k[0]!.toUpperCase()}${k.slice(1)}`, `rpt.${k}`]),
) as Readonly<Record<string, string>>;

/** The report's own names: what a template may use outside any loop (and, failing closer names, inside). */
export const REPORT: Scope = {
  element: 'the report',
  slots: {
    title: text('the report’s title'),
    organization: text('the regulated organization that submits it'),
    program: text('the program’s code'),
    programName: text('the program’s name'),
    directive: text('the code of the directive it answers'),
    directiveTitle: text('the directive’s title'),
    issuer: text('who issued the directive'),
    issuedOn: text('when it was issued'),
    reference: text('the directive’s reference number, or empty'),
    subtitle: text('“In answer to … of …, …” as one line'),
    asOf: text('the day the report speaks for'),
    asOfLine: text('“Status as of …” as one line'),
    reportDue: text('the day the report is due, or —'),
    cover: text('the program’s cover text for this directive, in the report’s language (line breaks kept)'),
    summary: text(
      'one paragraph of figures: items, measures, milestones done and late, changes, open issues',
    ),
    previous: text('what the report is compared with, as a sentence'),
    generated: text('“Generated by Oversight from program … ” as one line'),
    ...Object.fromEntries(Object.keys(HEADINGS).map((k) => [k, text('a section heading')])),
    ...Object.fromEntries(Object.keys(LABELS).map((k) => [k, text('a word for a column header or note')])),
    items: list('the directive’s items and bullets, in its own order', ITEM),
    measures: list('every measure the report details, in the order they first answer an item', MEASURE),
    milestones: list('every milestone of those measures (the dated plan)', MILESTONE),
    changes: list('what changed since the previous report', CHANGE),
    relationships: list('the outsourcing relationships with their decisions', RELATIONSHIP),
    governance: list('the group governance measures', MEASURE),
    damage: list('incidents with their secondary damage', DAMAGE),
    findings: list('open issues found by our own review', FINDING),
  },
};

/** Looks a name up from the innermost loop outward, as docxtemplater resolves it. */
export function resolveName(
  stack: ReadonlyArray<{ name: string; scope: Scope }>,
  name: string,
): Slot | undefined {
  // Own names only: `constructor` or `__proto__` is not a placeholder because every object has one.
  const own = (slots: Record<string, Slot>) => (Object.hasOwn(slots, name) ? slots[name] : undefined);
  for (let i = stack.length - 1; i >= 0; i--) {
    const slot = own(stack[i]!.scope.slots);
    if (slot) return slot;
  }
  return own(REPORT.slots);
}
