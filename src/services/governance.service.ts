/**
 * Group governance on a stored program: the control chain over the regulated organization (and
 * the providers that sit in the chain of their own customer), and exposure paths from outside
 * organizations into the group's systems, on a day and month by month. Read-only.
 */
import { programAsOf } from '../domain/as-of.ts';
import { holdingsOf, influenceOver, regulatedGroup } from '../domain/control.ts';
import { type CalendarDate, todayIn } from '../domain/dates.ts';
import { notFound, validationFailed } from '../domain/errors.ts';
import {
  ExposureGraph,
  type ExposureResult,
  type ExposureTimeline,
  exposureOn,
  exposureTimeline,
  type PlanView,
} from '../domain/exposure.ts';
import type { ProgramFile } from '../domain/program-file/schema.ts';
import { type ProviderTier, tierProviders } from '../domain/tiering.ts';
import { programFileAt } from './common.ts';
import type { Reader } from './context.ts';

/** The program now, or as the audit log held it at an instant (whose day is then "today"). */
async function load(
  reader: Reader,
  programCode: string,
  at?: Date,
): Promise<{ file: ProgramFile; today: CalendarDate }> {
  const { file } = await programFileAt(reader, programCode, at);
  return { file, today: todayIn(file.program.timeZone, at) };
}

export interface ChainStep {
  owner: string;
  owned: string;
  share: number;
  voting: number;
}

export interface ControlChain {
  program: string;
  organization: string;
  holders: Array<{ holder: string; effective: number; controls: boolean; chain: ChainStep[] }>;
  /** Outsourcing providers that hold a stake in their own customer. */
  providersInChain: Array<{
    relationship: string;
    provider: string;
    customer: string;
    /** The organization controlling the provider that holds the stake (NAVER for NAVER Cloud), or null. */
    through: string | null;
    effective: number;
    controls: boolean;
    chain: ChainStep[];
  }>;
}

export async function controlChainOfProgram(reader: Reader, programCode: string): Promise<ControlChain> {
  const { file } = await load(reader, programCode);
  const holdings = holdingsOf(file);
  const step = (owner: string, owned: string): ChainStep => {
    const h = holdings.find((x) => x.owner === owner && x.owned === owned)!;
    return { owner, owned, share: h.share, voting: h.voting ?? h.share };
  };
  const chainOf = (path: string[]) => path.slice(0, -1).map((owner, i) => step(owner, path[i + 1]!));
  const round = (n: number) => Math.round(n * 10_000) / 100;
  const regulated = file.program.regulatedOrganization;
  const holders = influenceOver(holdings, regulated).map((i) => ({
    holder: i.holder,
    effective: round(i.effective),
    controls: i.controls,
    chain: chainOf(i.path),
  }));
  const providersInChain: ControlChain['providersInChain'] = [];
  for (const r of file.relationships) {
    const holdersOfCustomer = influenceOver(holdings, r.customer);
    const controllers = [
      r.provider,
      ...influenceOver(holdings, r.provider)
        .filter((i) => i.controls)
        .map((i) => i.holder),
    ];
    const stake = controllers
      .map((org) => holdersOfCustomer.find((i) => i.holder === org))
      .find((i) => i !== undefined);
    if (stake)
      providersInChain.push({
        relationship: r.code,
        provider: r.provider,
        customer: r.customer,
        through: stake.holder === r.provider ? null : stake.holder,
        effective: round(stake.effective),
        controls: stake.controls,
        chain: chainOf(stake.path),
      });
  }
  return { program: file.program.code, organization: regulated, holders, providersInChain };
}

export interface ExposureQuery {
  asOf?: CalendarDate | undefined;
  at?: Date | undefined;
  organization?: string | undefined;
  view?: PlanView | undefined;
}

/**
 * Who outside the group can reach which of its systems on a day. A day up to today is judged from
 * the program as it was known then; a later day from today's plan.
 */
export async function exposureOfProgram(
  reader: Reader,
  programCode: string,
  query: ExposureQuery = {},
): Promise<ExposureResult & { program: string }> {
  const { file, today } = await load(reader, programCode, query.at);
  const asOf = query.asOf ?? today;
  const view = asOf <= today ? programAsOf(file, asOf) : file;
  const group = regulatedGroup(file);
  if (query.organization !== undefined && !file.organizations.some((o) => o.code === query.organization))
    throw notFound('organization', query.organization);
  return {
    program: file.program.code,
    ...exposureOn(view, asOf, { today, group, view: query.view, organization: query.organization }),
  };
}

/** Month by month, the critical systems each outside organization can reach: as done, as now planned, as baselined. */
export async function exposureTimelineOfProgram(
  reader: Reader,
  programCode: string,
  range: { from?: CalendarDate | undefined; to?: CalendarDate | undefined } = {},
): Promise<ExposureTimeline & { program: string }> {
  const { file, today } = await load(reader, programCode);
  const dates = file.measures.flatMap((m) =>
    m.milestones.flatMap((ms) => [
      ms.committedOn,
      ms.planned,
      ms.actual,
      ...ms.replans.flatMap((r) => [r.from, r.to]),
    ]),
  );
  const known = dates.filter((d): d is string => typeof d === 'string').sort();
  if (range.from !== undefined && range.to !== undefined && range.to < range.from)
    throw validationFailed([
      { path: 'query.to', key: 'validation.date_before', params: { field: 'from', date: range.from } },
    ]);
  const from = range.from ?? known[0] ?? today;
  const to = range.to ?? known.at(-1) ?? today;
  const group = regulatedGroup(file);
  const last = [from, to].sort()[1]!;
  return { program: file.program.code, ...exposureTimeline(file, from, last, { today, group }) };
}

/** Every provider's required security level (built-in or the program's rules) against its attested one, as of a day. */
export async function tieringOfProgram(
  reader: Reader,
  programCode: string,
  query: { asOf?: CalendarDate | undefined; at?: Date | undefined } = {},
): Promise<{ program: string; asOf: CalendarDate; providers: ProviderTier[] }> {
  const { file, today } = await load(reader, programCode, query.at);
  const asOf = query.asOf ?? today;
  const view = asOf <= today ? programAsOf(file, asOf) : file;
  const group = regulatedGroup(file);
  const graph = new ExposureGraph(view, group);
  return {
    program: file.program.code,
    asOf,
    providers: tierProviders(view, group, (org) => graph.reach(org, asOf, today, 'actual')),
  };
}
