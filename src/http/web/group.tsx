/** @jsxImportSource hono/jsx */
/**
 * The group page of a program: the control chain over the regulated organization and the exposure
 * paths from outside organizations into the group's systems on a day, in a view — each drawn as
 * SVG and listed as a table beside it, so the page reads the same without the pictures.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { programAsOf } from '../../domain/as-of.ts';
import { type CalendarDate, todayIn } from '../../domain/dates.ts';
import { PLAN_VIEWS, type PlanView } from '../../domain/exposure.ts';
import { formatDate } from '../../i18n/format.ts';
import { type Language, translator } from '../../i18n/index.ts';
import { snapshotOf } from '../../services/common.ts';
import { controlChainOfProgram, exposureOfProgram } from '../../services/governance.service.ts';
import type { AppEnv } from '../env.ts';
import { type ChainLabels, ControlChainDiagram, ExposureDiagram, type ExposureLabels } from './diagrams.tsx';
import {
  chainHoldings,
  chainOrganizations,
  type EdgeEnd,
  exposureGraph,
  namer,
  type PathRow,
  pathRows,
} from './group-data.ts';
import { HoldersTable, OwnershipTable, PathTable, ProvidersTable, type TableWords } from './group-tables.tsx';
import { Layout } from './layout.tsx';
import { codeParam, queryDate, queryOneOf } from './params.ts';

export function registerGroupPages(app: OpenAPIHono<AppEnv>): void {
  app.get('/programs/:program/group', async (c) => {
    const view = (queryOneOf(c, 'view', PLAN_VIEWS) ?? 'actual') as PlanView;
    const asked = queryDate(c, 'asOf');
    const program = codeParam(c, 'program');
    const { file } = await snapshotOf(c.var.ctx, program);
    const today = todayIn(file.program.timeZone);
    const asOf = asked ?? today;
    const chain = await controlChainOfProgram(c.var.ctx, program);
    const exposure = await exposureOfProgram(c.var.ctx, program, { asOf, view });
    // The same rule as the exposure: a day up to today is judged from the program as known then.
    const asKnown = asOf <= today ? programAsOf(file, asOf) : file;
    return c.html(
      <GroupPage
        lang={c.var.lang}
        path={c.req.path}
        file={file}
        chain={chain}
        rows={pathRows(exposure, asKnown, view, asOf)}
        asOf={asOf}
        view={view}
      />,
    );
  });
}

type File = Awaited<ReturnType<typeof snapshotOf>>['file'];
type Chain = Awaited<ReturnType<typeof controlChainOfProgram>>;

/** The words of the tables and edges in one language. */
function wordsFor(lang: Language, file: File): TableWords {
  const t = translator(lang);
  const number = new Intl.NumberFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { maximumFractionDigits: 2 });
  return {
    t,
    number: (n: number) => number.format(n),
    percent: (n: number) => `${number.format(n)}%`,
    via: (via: string) => t(`via.${via}`),
    end: (end: EdgeEnd) =>
      end.date === null
        ? t('ui.group.untilMilestone', { milestone: end.milestone })
        : t(end.overdue ? 'ui.group.overdue' : 'ui.group.until', { date: formatDate(lang, end.date) }),
    names: namer(file, lang),
  };
}

function GroupPage(props: {
  lang: Language;
  path: string;
  file: File;
  chain: Chain;
  rows: PathRow[];
  asOf: CalendarDate;
  view: PlanView;
}) {
  const { lang, file } = props;
  const words = wordsFor(lang, file);
  const { t } = words;
  const p = file.program;
  const regulated = words.names.organization(props.chain.organization);
  return (
    <Layout
      lang={lang}
      title={t('ui.group.title')}
      program={{ code: p.code, name: p.name }}
      current="group"
      path={props.path}
    >
      <h1>{t('ui.group.title')}</h1>
      <p class="sub">
        {t('ui.group.subtitle', { program: lang === 'ja' && p.nameJa ? p.nameJa : p.name, org: regulated })}
      </p>
      <ViewForm lang={lang} path={props.path} view={props.view} asOf={props.asOf} />
      <ChainSection words={words} file={file} chain={props.chain} regulated={regulated} />
      <ExposureSection
        words={words}
        file={file}
        rows={props.rows}
        regulated={regulated}
        date={formatDate(lang, props.asOf)}
        view={props.view}
      />
    </Layout>
  );
}

/** The control chain diagram with the ownership table beside it, then the stakes and the providers tied by capital. */
function ChainSection(props: { words: TableWords; file: File; chain: Chain; regulated: string }) {
  const { words, chain, regulated } = props;
  const { t } = words;
  const organizations = chainOrganizations(props.file, chain, words.names.organization);
  const holdings = chainHoldings(props.file);
  const labels: ChainLabels = {
    title: t('ui.group.chain.title', { org: regulated }),
    desc: t('ui.group.chain.desc', {
      organizations: organizations.length,
      holdings: holdings.length,
      flagged: organizations.filter((o) => o.flagged).length,
    }),
    holding: (h) =>
      h.voting === h.share
        ? t('ui.group.chain.holding', { share: words.number(h.share) })
        : t('ui.group.chain.holdingVotes', { share: words.number(h.share), voting: words.number(h.voting) }),
    legend: Object.fromEntries(
      (
        ['regulated', 'controller', 'holder', 'group', 'other', 'flagged', 'controlling', 'minority'] as const
      ).map((k) => [k, t(`ui.group.legend.${k}`)]),
    ) as ChainLabels['legend'],
    tags: { regulated: t('ui.group.tags.regulated'), flagged: t('ui.group.tags.flagged') },
    empty: t('ui.group.chain.empty'),
  };
  return (
    <section aria-labelledby="chain-h">
      <h2 id="chain-h">{t('ui.group.chain.heading')}</h2>
      <p class="muted small">{t('ui.group.chain.intro')}</p>
      <div style="display:flex;flex-wrap:wrap;gap:0 20px;align-items:flex-start">
        <div style={`${FRAME};flex:0 1 auto;max-width:100%`}>
          <ControlChainDiagram id="chain" organizations={organizations} holdings={holdings} labels={labels} />
        </div>
        <div style="flex:1 1 440px;min-width:0">
          <OwnershipTable words={words} holdings={holdings} />
        </div>
      </div>
      <HoldersTable words={words} chain={chain} regulated={regulated} />
      <ProvidersTable words={words} chain={chain} />
    </section>
  );
}

/** The exposure paths on the day as a diagram, then as rows. */
function ExposureSection(props: {
  words: TableWords;
  file: File;
  rows: PathRow[];
  regulated: string;
  date: string;
  view: PlanView;
}) {
  const { words, date } = props;
  const { t } = words;
  const graph = exposureGraph(props.rows, props.file, words.names, words);
  const reached = graph.nodes.filter((n) => n.kind === 'system' && n.inGroup);
  const view = t(`exposure.view.${props.view}`);
  const labels: ExposureLabels = {
    title: t('ui.group.exposure.title', { org: props.regulated, date, view }),
    desc: t('ui.group.exposure.desc', {
      organizations: graph.nodes.filter((n) => n.kind === 'organization').length,
      systems: reached.length,
      critical: reached.filter((n) => n.critical).length,
    }),
    empty: t('ui.group.exposure.empty'),
    legend: Object.fromEntries(
      (['organization', 'system', 'critical', 'outside', 'access', 'link'] as const).map((k) => [
        k,
        t(`ui.group.legend.${k}`),
      ]),
    ) as ExposureLabels['legend'],
    tags: { critical: t('ui.group.tags.critical'), outside: t('ui.group.tags.outside') },
    how: (via, end) => (end ? t('ui.group.exposure.step', { via, end }) : via),
  };
  return (
    <section aria-labelledby="exposure-h">
      <h2 id="exposure-h">{t('ui.group.exposure.heading', { date, view })}</h2>
      <p class="muted small">{t('ui.group.exposure.intro')}</p>
      <div style={FRAME}>
        <ExposureDiagram id="exposure" nodes={graph.nodes} edges={graph.edges} labels={labels} />
      </div>
      <PathTable words={words} rows={props.rows} />
    </section>
  );
}

const FRAME = 'background:#fff;border:1px solid #d8dde3;border-radius:6px;padding:8px;margin:0 0 14px';

/** Choose the view and the day of the exposure paths (a GET form: the page's address says what it shows). */
function ViewForm(props: { lang: Language; path: string; view: PlanView; asOf: CalendarDate }) {
  const t = translator(props.lang);
  return (
    <form method="get" action={props.path} aria-label={t('ui.group.form.label')}>
      <div style="display:flex;gap:8px 20px;align-items:flex-end;flex-wrap:wrap">
        <div>
          <label for="group-view">{t('ui.group.form.view')}</label>
          <select id="group-view" name="view" style="width:auto">
            {PLAN_VIEWS.map((v) => (
              <option value={v} selected={v === props.view}>
                {t(`exposure.view.${v}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="group-as-of">{t('ui.group.form.asOf')}</label>
          <input id="group-as-of" type="date" name="asOf" value={props.asOf} required style="width:auto" />
        </div>
        <button type="submit">{t('ui.group.form.show')}</button>
      </div>
    </form>
  );
}
