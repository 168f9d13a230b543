import { describe, expect, it } from 'vitest';
import { RULE_IDS, type RuleId } from '../../src/domain/lint/ids.ts';
import { runLint } from '../../src/domain/lint/index.ts';
import { parseProgramText } from '../../src/domain/program-file/parse.ts';
import type { ProgramFile } from '../../src/domain/program-file/schema.ts';
import { cleanProgram, DEMO_TEXT } from '../support/builders.ts';

const AS_OF = '2024-06-01';
const lint = (file: ProgramFile, asOf = AS_OF, today = asOf) => runLint(file, asOf, today);
const fired = (file: ProgramFile, rule: RuleId, asOf = AS_OF, today = asOf) =>
  lint(file, asOf, today).findings.filter((f) => f.rule === rule);

describe('the clean program', () => {
  it('passes every rule', () => {
    expect(lint(cleanProgram()).findings).toEqual([]);
  });
});

/**
 * Each rule: a program that triggers it (one change from the clean program) and what it says;
 * the clean program is the one that does not.
 */
const cases: Record<
  RuleId,
  { edit: Parameters<typeof cleanProgram>[0]; code: string; asOf?: string; today?: string }
> = {
  'item-unanswered': {
    edit: (d) => d.directives[0].items.push({ code: 'I2', label: '(2)', text: 'Report' }),
    code: 'I2',
  },
  'measure-answers-nothing': { edit: (d) => (d.measures[0].answers = []), code: 'M1' },
  'measure-undated': {
    edit: (d) =>
      d.measures.push({
        code: 'M2',
        title: 'Review contracts',
        category: 'contractor_management',
        kind: 'permanent',
        answers: ['I1a'],
        milestones: [{ code: 'MS9', title: 'Contracts reviewed', committedOn: '2024-02-01' }],
      }),
    code: 'M2',
  },
  'relationship-undecided': { edit: (d) => (d.relationships[0].decisions = []), code: 'R1' },
  'decision-undated': {
    edit: (d) =>
      (d.relationships[0].decisions = [{ on: '2024-03-01', decision: 'reduce', reason: 'Scope to be cut' }]),
    code: 'R1',
  },
  'milestone-overdue': { edit: (d) => delete d.measures[0].milestones[0].actual, code: 'MS1' },
  'long-horizon': { edit: (d) => (d.measures[0].milestones[1].planned = '2026-06-30'), code: 'M1' },
  'verification-missing': { edit: (d) => (d.measures[0].verifications = []), code: 'M1' },
  'ineffective-without-follow-up': {
    edit: (d) =>
      Object.assign(d.measures[0].verifications[0], { performedOn: '2024-05-31', result: 'ineffective' }),
    code: 'V1',
  },
  'reverification-due': {
    // Verified effective on 31 January, quarterly: due again 30 April, a month before the lint's day.
    edit: (d) =>
      Object.assign(d.measures[0].verifications[0], {
        performedOn: '2024-01-31',
        result: 'effective',
        recurrence: 'quarterly',
      }),
    code: 'V1',
  },
  'shared-system-unseparated': { edit: (d) => delete d.access[0].untilMilestone, code: 'AX1' },
  'provider-control-unaddressed': {
    edit: (d) => {
      d.ownerships.push({ owner: 'VENDOR', owned: 'REG', share: 40, voting: 51 });
      d.measures[0].concerns = [];
    },
    code: 'VENDOR',
  },
  'vague-wording': {
    edit: (d) =>
      d.measures.push({
        code: 'M3',
        title: 'Gradually reduce outsourcing as appropriate',
        category: 'contractor_management',
        kind: 'permanent',
        answers: ['I1a'],
        milestones: [{ code: 'MS3', title: 'Reduced', committedOn: '2024-02-01', planned: null }],
      }),
    code: 'M3',
  },
  'deadline-with-errors': {
    edit: (d) => {
      d.directives[0].reportDue = '2024-06-20';
      d.relationships[0].decisions = [];
    },
    code: 'D1',
  },
  'status-mismatch': { edit: (d) => (d.measures[0].status = 'completed'), code: 'M1' },
  'provider-tier-unmet': { edit: (d) => (d.organizations[3].attestedLevel = 3), code: 'VENDOR' },
  'disclosure-overdue': {
    // Public guidance of 10 January, updates every month, none published.
    edit: (d) => {
      Object.assign(d.program, { publicName: 'Clean program', disclosureCadenceMonths: 1 });
      d.directives[0].public = true;
    },
    code: 'CLEAN',
  },
};

describe.each(RULE_IDS)('rule %s', (rule) => {
  const c = cases[rule];
  it('fires on a program with the problem, naming the record', () => {
    const findings = fired(cleanProgram(c.edit), rule, c.asOf, c.today);
    expect(findings.map((f) => f.code)).toContain(c.code);
    for (const f of findings) {
      expect(f.path).toMatch(/^[a-z]+\/[^/]+/);
      expect(['error', 'warning', 'info']).toContain(f.severity);
    }
  });
  it('stays quiet on the same program without the problem', () => {
    expect(fired(cleanProgram(), rule, c.asOf, c.today)).toEqual([]);
  });
  it('can be switched off or re-graded by the program', () => {
    const off = cleanProgram((d) => {
      c.edit?.(d);
      d.lint = { rules: { [rule]: 'off' } };
    });
    expect(fired(off, rule, c.asOf, c.today)).toEqual([]);
    const info = cleanProgram((d) => {
      c.edit?.(d);
      d.lint = { rules: { [rule]: 'info' } };
    });
    expect(fired(info, rule, c.asOf, c.today).every((f) => f.severity === 'info')).toBe(true);
  });
});

describe('rule details', () => {
  it('counts a milestone as overdue only when it has neither an actual date nor a later plan', () => {
    const replanned = cleanProgram((d) => {
      delete d.measures[0].milestones[0].actual;
      d.measures[0].milestones[0].planned = '2024-07-31';
      d.measures[0].milestones[0].replans = [
        { on: '2024-05-20', from: '2024-05-31', to: '2024-07-31', reason: 'Vendor delay' },
      ];
    });
    expect(fired(replanned, 'milestone-overdue')).toEqual([]);
    expect(fired(replanned, 'milestone-overdue', '2024-08-01')).toHaveLength(1);
  });

  it('accepts a far plan once a re-plan has brought a date forward', () => {
    const accelerated = cleanProgram((d) => {
      d.measures[0].milestones[1].planned = '2026-03-31';
      d.measures[0].milestones[1].replans = [
        { on: '2024-04-01', from: '2026-06-30', to: '2026-03-31', reason: 'Brought forward' },
      ];
    });
    expect(fired(accelerated, 'long-horizon')).toEqual([]);
    const threshold = cleanProgram((d) => {
      d.measures[0].milestones[1].planned = '2026-03-31';
      d.lint = { horizonMonths: 24 };
    });
    expect(fired(threshold, 'long-horizon')).toEqual([]);
  });

  it('finds vague Japanese wording too, and only where no date backs it', () => {
    const ja = cleanProgram((d) =>
      d.measures.push({
        code: 'M4',
        title: 'Outsourcing review',
        titleJa: '委託関係を順次見直す（検討中）',
        category: 'contractor_management',
        kind: 'permanent',
        answers: ['I1a'],
      }),
    );
    expect(fired(ja, 'vague-wording').map((f) => f.params.phrase)).toEqual(['順次']);
    const dated = cleanProgram((d) => (d.measures[0].title = 'Gradually separate the network'));
    expect(fired(dated, 'vague-wording')).toEqual([]);
  });

  it('leaves relationships outside the group to the provider, and kept relationships alone', () => {
    const outside = cleanProgram((d) => {
      d.organizations.push({ code: 'SUBCO', name: 'Subcontractor', kind: 'subcontractor' });
      d.relationships.push({
        code: 'R2',
        title: 'Sub',
        customer: 'VENDOR',
        provider: 'SUBCO',
        scope: 'other',
      });
    });
    expect(fired(outside, 'relationship-undecided')).toEqual([]);
    const subsidiary = cleanProgram((d) =>
      d.relationships.push({
        code: 'R3',
        title: 'Sub ops',
        customer: 'SUB',
        provider: 'VENDOR',
        scope: 'other',
      }),
    );
    expect(fired(subsidiary, 'relationship-undecided').map((f) => f.code)).toEqual(['R3']);
    const kept = cleanProgram((d) => {
      delete d.access[0].untilMilestone;
      d.relationships[0].decisions = [
        { on: '2024-03-01', decision: 'maintain', reason: 'Kept under supervision' },
      ];
    });
    expect(fired(kept, 'shared-system-unseparated')).toEqual([]);
  });

  it('sees joint control through a 50/50 holding company', () => {
    const joint = cleanProgram((d) => {
      d.organizations.push(
        { code: 'HOLD', name: 'Holding', kind: 'parent' },
        { code: 'OTHER', name: 'Other', kind: 'parent' },
      );
      d.ownerships.push(
        { owner: 'HOLD', owned: 'REG', share: 64.5 },
        { owner: 'VENDOR', owned: 'HOLD', share: 50 },
        { owner: 'OTHER', owned: 'HOLD', share: 50 },
      );
      d.measures[0].concerns = [];
    });
    const [finding] = fired(joint, 'provider-control-unaddressed');
    expect(finding?.params).toMatchObject({
      holder: 'VENDOR',
      effective: 32.3,
      controls: true,
      chain: 'VENDOR → HOLD → REG',
    });
    const addressed = cleanProgram((d) => {
      d.organizations.push({ code: 'HOLD', name: 'Holding', kind: 'parent' });
      d.ownerships.push(
        { owner: 'HOLD', owned: 'REG', share: 64.5 },
        { owner: 'VENDOR', owned: 'HOLD', share: 50 },
      );
      d.measures.push({
        code: 'M-CAP',
        title: 'Review the capital relationship',
        category: 'governance',
        kind: 'permanent',
        answers: ['I1a'],
        concerns: ['HOLD'],
        milestones: [
          {
            code: 'MS-CAP',
            title: 'Request made',
            committedOn: '2024-02-01',
            planned: '2024-04-01',
            actual: '2024-04-01',
          },
        ],
        verifications: [{ code: 'V-CAP', method: 'Board review', plannedOn: '2024-09-30' }],
      });
      d.measures[0].concerns = [];
    });
    expect(fired(addressed, 'provider-control-unaddressed')).toEqual([]);
  });

  it('judges declared statuses only for today, since they are not kept as history', () => {
    const file = cleanProgram((d) => (d.measures[0].status = 'completed'));
    expect(fired(file, 'status-mismatch', AS_OF, '2024-09-01')).toEqual([]);
    expect(fired(file, 'status-mismatch', '2024-09-01', '2024-09-01')).toHaveLength(1);
  });
});

describe('review fixes', () => {
  it('does not trust today’s declared status for a past day', () => {
    const past = cleanProgram((d) => {
      d.measures.push({
        code: 'M5',
        title: 'Plan the exit',
        category: 'governance',
        kind: 'permanent',
        status: 'completed',
        answers: ['I1a'],
        milestones: [{ code: 'MS5', title: 'Exit planned', committedOn: '2024-02-01', planned: null }],
      });
    });
    expect(fired(past, 'verification-missing', AS_OF, '2024-09-01')).toEqual([]);
    expect(fired(past, 'verification-missing', '2024-09-01', '2024-09-01').map((f) => f.code)).toEqual([
      'M5',
    ]);
  });

  it('finds a provider whose controlling company holds the stake', () => {
    const file = cleanProgram((d) => {
      d.organizations.push({ code: 'HOLDCO', name: 'Vendor parent', kind: 'parent' });
      d.ownerships.push(
        { owner: 'HOLDCO', owned: 'VENDOR', share: 100 },
        { owner: 'HOLDCO', owned: 'REG', share: 30 },
      );
      d.measures[0].concerns = [];
    });
    const [finding] = fired(file, 'provider-control-unaddressed');
    expect(finding).toMatchObject({
      code: 'VENDOR',
      params: { effective: 30, chain: 'VENDOR ← HOLDCO → REG' },
    });
  });

  it('asks nothing of a provider when no tiering rule applies', () => {
    const file = cleanProgram((d) => {
      delete d.organizations[3].attestedLevel;
      d.tiering = { rules: [{ when: 'handlesConfidentialData', level: 4 }] };
    });
    expect(fired(file, 'provider-tier-unmet')).toEqual([]);
  });

  it('reports one vague phrase per measure', () => {
    const file = cleanProgram((d) =>
      d.measures.push({
        code: 'M6',
        title: 'Gradually reduce',
        titleJa: '順次縮小',
        description: 'As appropriate',
        category: 'contractor_management',
        kind: 'permanent',
        answers: ['I1a'],
      }),
    );
    expect(fired(file, 'vague-wording').filter((f) => f.code === 'M6')).toHaveLength(1);
  });
});

describe('contractor tiering', () => {
  it('requires ★4 of a provider that can reach internal systems, computed from the exposure graph', () => {
    const [finding] = fired(
      cleanProgram((d) => delete d.organizations[3].attestedLevel),
      'provider-tier-unmet',
    );
    expect(finding?.params).toMatchObject({ required: 4, attested: '—', because: 'reachesInternalSystems' });
    const cutOff = cleanProgram((d) => {
      d.organizations[3].attestedLevel = 3;
      d.access = [];
    });
    expect(fired(cutOff, 'provider-tier-unmet')).toEqual([]);
  });

  it('follows the rules a program sets for itself', () => {
    const strict = cleanProgram((d) => {
      d.tiering = {
        rules: [
          { when: 'always', level: 3 },
          { when: 'reachesCriticalSystems', level: 5 },
        ],
      };
    });
    expect(fired(strict, 'provider-tier-unmet')[0]?.params).toMatchObject({ required: 5, attested: 4 });
    const confidential = cleanProgram((d) => {
      d.access = [];
      d.organizations[3].handlesConfidentialData = true;
      d.organizations[3].attestedLevel = 3;
    });
    expect(fired(confidential, 'provider-tier-unmet')[0]?.params).toMatchObject({
      because: 'handlesConfidentialData',
    });
  });
});

describe('the demo program through the regulator’s eyes', () => {
  const demo = parseProgramText(DEMO_TEXT);
  if (!demo.ok) throw new Error('the demo parses');
  const at = (asOf: string) => runLint(demo.file, asOf, '2026-11-26').findings;
  const has = (findings: ReturnType<typeof at>, rule: RuleId, code: string) =>
    findings.some((f) => f.rule === rule && f.code === code);

  it('finds on 1 April 2024 what the letter of 16 April raised', () => {
    const april = at('2024-04-01');
    // "complete separation of the network from the NAVER side will not be achieved for more than two years"
    expect(has(april, 'long-horizon', 'M-NETSEP')).toBe(true);
    // "no specific measures ... which outsourcing relationships will be reduced, terminated, or maintained, and by when"
    for (const r of ['R-NAVER-CLOUD-INFRA', 'R-NAVER-CLOUD-SOC', 'R-NAVER-DEV', 'R-NAVER-SYSTEMS'])
      expect(has(april, 'relationship-undecided', r), r).toBe(true);
    expect(has(april, 'measure-undated', 'M-OUTSOURCING-PLAN')).toBe(true);
    // "policy to gradually reduce and terminate" — a promise without a date
    expect(has(april, 'vague-wording', 'R-NAVER-CLOUD-INFRA')).toBe(true);
    // independent operation of the SOC named, with nothing that ends NAVER Cloud's access
    expect(has(april, 'shared-system-unseparated', 'AX-NC-SOC')).toBe(true);
  });

  it('shows on 1 July 2024 which of those points the July report answered', () => {
    const july = at('2024-07-01');
    // Providers with no attested security level remain: a check the letter did not ask for.
    expect(july.some((f) => f.rule === 'provider-tier-unmet')).toBe(true);
    const withoutTiering = runLint(
      { ...demo.file, lint: { rules: { 'provider-tier-unmet': 'off' } } },
      '2024-07-01',
      '2026-11-26',
    ).findings;
    expect(withoutTiering.filter((f) => f.severity === 'error')).toEqual([]);
    expect(has(july, 'long-horizon', 'M-NETSEP')).toBe(false);
    expect(july.some((f) => f.rule === 'relationship-undecided')).toBe(false);
    expect(has(july, 'measure-undated', 'M-OUTSOURCING-PLAN')).toBe(false);
    expect(has(july, 'vague-wording', 'R-NAVER-CLOUD-INFRA')).toBe(false);
    expect(has(july, 'shared-system-unseparated', 'AX-NC-SOC')).toBe(false);
  });
});
