/** What every lint rule looks at: the program as of the day, its schedule, traceability and control chain. */
import { controlledGroup, type Holding, holdingsOf, type Influence, influenceOver } from '../control.ts';
import type { CalendarDate } from '../dates.ts';
import { ExposureGraph } from '../exposure.ts';
import type { ProgramFile } from '../program-file/schema.ts';
import type { ScheduleAnalysis } from '../schedule-analysis.ts';
import { type ProviderTier, tierProviders } from '../tiering.ts';
import type { Traceability } from '../traceability.ts';
import type { LintConfig } from './config.ts';

export interface LintContext {
  view: ProgramFile;
  asOf: CalendarDate;
  /** The view is today's program (declared statuses are not kept as history, so only then are they judged). */
  current: boolean;
  config: LintConfig;
  schedule: ScheduleAnalysis;
  trace: Traceability;
  /** The regulated organization and every organization it controls. */
  group: Set<string>;
  /** Relationships whose customer is in the group: the ones the program decides. */
  inScope: ProgramFile['relationships'];
  /** Organizations that provide services to the group, or are providers or subcontractors by kind. */
  providers: Set<string>;
  /** Every holder of a stake in the regulated organization. */
  holders: Influence[];
  /** The ownership edges. */
  holdings: Holding[];
  /** Every provider's required and attested security level (the exposure graph says whom it reaches). */
  tiers: ProviderTier[];
}

export function buildContext(
  view: ProgramFile,
  asOf: CalendarDate,
  current: boolean,
  config: LintConfig,
  schedule: ScheduleAnalysis,
  trace: Traceability,
): LintContext {
  const holdings = holdingsOf(view);
  const regulated = view.program.regulatedOrganization;
  const group = controlledGroup(holdings, regulated);
  const inScope = view.relationships.filter((r) => group.has(r.customer));
  const providers = new Set<string>([
    ...view.relationships.map((r) => r.provider),
    ...view.organizations
      .filter((o) => o.kind === 'provider' || o.kind === 'subcontractor')
      .map((o) => o.code),
  ]);
  for (const g of group) providers.delete(g);
  return {
    view,
    asOf,
    current,
    config,
    schedule,
    trace,
    group,
    inScope,
    providers,
    holders: influenceOver(holdings, regulated),
    holdings,
    tiers: (() => {
      const graph = new ExposureGraph(view, group);
      return tierProviders(view, group, (org) => graph.reach(org, asOf, asOf, 'actual'));
    })(),
  };
}
