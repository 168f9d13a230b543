/**
 * Contractor tiering: the security level each provider must hold, from rules a program may edit.
 * The built-in rules follow METI's supply-chain security rating (★3 basic, ★4 standard, ★5):
 * ★4 where the provider handles the company's confidential data on its own systems, where its
 * stoppage would cause unacceptable delays, or where its environment can reach the company's
 * internal systems. The last condition is computed from the exposure graph, never typed in.
 */
import { z } from 'zod';
import type { ProgramFile } from './program-file/schema.ts';

export const TIER_CONDITIONS = [
  'always',
  'handlesConfidentialData',
  'stoppageCritical',
  'reachesInternalSystems',
  'reachesCriticalSystems',
] as const;
export type TierCondition = (typeof TIER_CONDITIONS)[number];

export const tieringSettingsSchema = z.strictObject({
  rules: z
    .array(
      z.strictObject({
        when: z.enum(TIER_CONDITIONS),
        level: z.number().int().min(1).max(5),
      }),
    )
    .max(50)
    .describe('Each rule that holds raises the required level to its own; the highest wins'),
});
export type TieringSettings = z.output<typeof tieringSettingsSchema>;

export const BUILT_IN_TIERING: TieringSettings = {
  rules: [
    { when: 'always', level: 3 },
    { when: 'handlesConfidentialData', level: 4 },
    { when: 'stoppageCritical', level: 4 },
    { when: 'reachesInternalSystems', level: 4 },
  ],
};

export interface ProviderFacts {
  handlesConfidentialData: boolean;
  stoppageCritical: boolean;
  reachesInternalSystems: boolean;
  reachesCriticalSystems: boolean;
}

export interface RequiredLevel {
  level: number;
  /** The conditions that set it. */
  because: TierCondition[];
}

export function requiredLevel(
  facts: ProviderFacts,
  settings: TieringSettings = BUILT_IN_TIERING,
): RequiredLevel {
  let level = 0;
  let because: TierCondition[] = [];
  for (const rule of settings.rules) {
    const holds = rule.when === 'always' || facts[rule.when];
    if (!holds) continue;
    if (rule.level > level) {
      level = rule.level;
      because = [rule.when];
    } else if (rule.level === level) because.push(rule.when);
  }
  return { level, because };
}

export interface ProviderTier {
  organization: string;
  facts: ProviderFacts;
  required: RequiredLevel;
  attested: number | null;
  /** Attested below required, or no attestation at all. */
  unmet: boolean;
}

/**
 * Tiers every provider of the program: organizations outside the group that provide services to
 * it, or are providers or subcontractors by kind. `reach` says which systems of the group an
 * organization can reach (from the exposure graph).
 */
export function tierProviders(
  file: ProgramFile,
  group: Set<string>,
  reach: (organization: string) => Array<{ criticality: string }>,
): ProviderTier[] {
  const providers = new Set<string>([
    ...file.relationships.filter((r) => group.has(r.customer)).map((r) => r.provider),
    ...file.organizations
      .filter((o) => o.kind === 'provider' || o.kind === 'subcontractor')
      .map((o) => o.code),
  ]);
  const settings = file.tiering ?? BUILT_IN_TIERING;
  return file.organizations
    .filter((o) => providers.has(o.code) && !group.has(o.code))
    .map((o) => {
      const reached = reach(o.code);
      const facts: ProviderFacts = {
        handlesConfidentialData: o.handlesConfidentialData ?? false,
        stoppageCritical: o.stoppageCritical ?? false,
        reachesInternalSystems: reached.length > 0,
        reachesCriticalSystems: reached.some((s) => s.criticality === 'critical'),
      };
      const required = requiredLevel(facts, settings);
      const attested = o.attestedLevel ?? null;
      return {
        organization: o.code,
        facts,
        required,
        attested,
        unmet: required.level > 0 && (attested === null || attested < required.level),
      };
    });
}
