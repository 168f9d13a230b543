/** @jsxImportSource hono/jsx */
/** The frame of every page: header, program navigation, language switch. */
import type { Child } from 'hono/jsx';
import { type Language, translator } from '../../i18n/index.ts';
import { ASSETS } from './assets.ts';
import { signedIn } from './signed-in.ts';

/** The program's pages, in the order the navigation lists them. */
export const NAV = [
  'dashboard',
  'directives',
  'measures',
  'milestones',
  'verifications',
  'relationships',
  'systems',
  'access',
  'incidents',
  'findings',
  'group',
  'reports',
  'disclosures',
  'audit',
] as const;

export interface LayoutProps {
  lang: Language;
  title: string;
  /** The program the page belongs to, for the navigation. */
  program?: { code: string; name: string } | undefined;
  /** Which navigation entry is the current page: one of NAV. */
  current?: string | undefined;
  /** The path of this page, for the language switch. */
  path: string;
  children: Child;
}

export function Layout(props: LayoutProps) {
  const t = translator(props.lang);
  const other = props.lang === 'ja' ? 'en' : 'ja';
  const base = props.program ? `/programs/${encodeURIComponent(props.program.code)}` : '';
  const user = signedIn.getStore();
  const code = props.program?.code;
  // Only the pages the reader may open: a contractor sees its registers, an auditor also the log.
  const nav = code
    ? NAV.filter((key) =>
        user?.may(`GET /programs/:program${key === 'dashboard' ? '' : `/${key}`}`, code),
      ).map((key) => [key, key === 'dashboard' ? base : `${base}/${key}`] as const)
    : [];
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} — ${t('app.product')}`}</title>
        <link rel="stylesheet" href={ASSETS.css} />
        <meta name="htmx-config" content='{"includeIndicatorStyles":false,"historyCacheSize":0}' />
        <script src={ASSETS.htmx} defer />
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">
            {t('app.product')}
          </a>
          {props.program ? (
            <nav aria-label={t('ui.nav.label')}>
              {nav.map(([key, href]) => (
                <a href={href} aria-current={props.current === key ? 'page' : undefined}>
                  {t(`ui.nav.${key}`)}
                </a>
              ))}
            </nav>
          ) : null}
          <a class="lang" href={`${props.path}?lang=${other}`} hreflang={other} lang={other}>
            {t('app.language')}
          </a>
          <UserMenu lang={props.lang} />
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

/** The signed-in user, their account and administration, and signing out; or a link to sign in. */
function UserMenu(props: { lang: Language }) {
  const t = translator(props.lang);
  const user = signedIn.getStore();
  if (!user)
    return (
      <a class="user" href="/login">
        {t('ui.auth.signIn')}
      </a>
    );
  return (
    <div class="user">
      {user.enrolling ? null : (
        <a href="/notifications" class="bell">
          {t('ui.notifications.title')}
          {/* The unread count: fetched after the page, and again each minute (nothing without script). */}
          <span id="unread" hx-get="/notifications/badge" hx-trigger="load, every 60s" hx-swap="innerHTML" />
        </a>
      )}
      <a href="/account">{user.username}</a>
      {user.admin ? <a href="/admin/users">{t('ui.admin.users')}</a> : null}
      <form method="post" action="/logout" class="inline">
        <button type="submit" class="link-button">
          {t('ui.auth.signOut')}
        </button>
      </form>
    </div>
  );
}

export function StatusBadge(props: { lang: Language; status: string }) {
  const t = translator(props.lang);
  return <span class={`badge s-${props.status}`}>{t(`status.${props.status}`)}</span>;
}

export function SeverityBadge(props: { lang: Language; severity: string }) {
  const t = translator(props.lang);
  return <span class={`badge sev-${props.severity}`}>{t(`severity.${props.severity}`)}</span>;
}
