/** @jsxImportSource hono/jsx */
/** Signing in and out, the second factor, and one's own account: password, sessions, API tokens. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { raw } from 'hono/html';
import { AppError } from '../../domain/errors.ts';
import { formatInstant } from '../../i18n/format.ts';
import { type Language, t, translator } from '../../i18n/index.ts';
import { changePassword, myAccount, type UserView } from '../../services/account.service.ts';
import {
  confirmTotp,
  createApiToken,
  listApiTokens,
  listSessions,
  passSecondFactor,
  revokeApiToken,
  revokeSession,
  signIn,
  signOut,
  startTotpEnrolment,
} from '../../services/session.service.ts';
import { clearSessionCookie, clientOf, sessionToken, setSessionCookie } from '../auth.ts';
import type { AppEnv } from '../env.ts';
import { FieldError, type FieldErrors, InlineAction } from './forms.tsx';
import { Layout } from './layout.tsx';
import { fieldErrors, postedForm } from './register-pages.tsx';

/** A local path to go back to after signing in; anything else (another site, `//host`) goes home. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[\x21-\x5b\x5d-\x7e]*$/.test(next) && next.length <= 500
    ? next
    : '/';
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

function SignInPage(props: { lang: Language; next: string; error?: string | undefined; username?: string }) {
  const tr = translator(props.lang);
  return (
    <Layout lang={props.lang} title={tr('ui.auth.signIn')} path="/login">
      <div class="narrow">
        <h1>{tr('ui.auth.signIn')}</h1>
        {props.error ? (
          <p class="field-error" role="alert">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/login" class="card">
          <input type="hidden" name="next" value={props.next} />
          <label for="username">{tr('ui.auth.username')}</label>
          <input
            id="username"
            name="username"
            autocomplete="username"
            value={props.username ?? ''}
            required
          />
          <label for="password">{tr('ui.auth.password')}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <button type="submit">{tr('ui.auth.signIn')}</button>
        </form>
      </div>
    </Layout>
  );
}

function SecondFactorPage(props: { lang: Language; next: string; error?: string | undefined }) {
  const tr = translator(props.lang);
  return (
    <Layout lang={props.lang} title={tr('ui.auth.secondFactor')} path="/login/mfa">
      <div class="narrow">
        <h1>{tr('ui.auth.secondFactor')}</h1>
        <p class="sub">{tr('ui.auth.secondFactorHelp')}</p>
        {props.error ? (
          <p class="field-error" role="alert">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/login/mfa" class="card">
          <input type="hidden" name="next" value={props.next} />
          <label for="code">{tr('ui.auth.code')}</label>
          <input id="code" name="code" autocomplete="one-time-code" inputmode="numeric" required />
          <button type="submit">{tr('ui.auth.verify')}</button>
        </form>
      </div>
    </Layout>
  );
}

/** The message of a refused sign-in: the same whatever was wrong, except when attempts are throttled. */
function signInError(err: unknown, lang: Language): { message: string; status: 401 | 429 } {
  if (err instanceof AppError && err.code === 'too_many_requests')
    return { message: t(lang, err.key, err.params), status: 429 };
  if (err instanceof AppError && err.code === 'unauthorized')
    return { message: t(lang, 'errors.login_failed'), status: 401 };
  throw err;
}

export function registerAuthPages(app: OpenAPIHono<AppEnv>): void {
  app.get('/login', (c) => c.html(<SignInPage lang={c.var.lang} next={safeNext(c.req.query('next'))} />));
  app.post('/login', async (c) => {
    const posted = await postedForm(c);
    const next = safeNext(posted.next);
    try {
      const { token, state } = await signIn(
        c.var.ctx.db,
        { username: posted.username, password: posted.password },
        clientOf(c),
      );
      setSessionCookie(c, token);
      const to =
        state === 'pending'
          ? `/login/mfa?next=${encodeURIComponent(next)}`
          : state === 'enrol'
            ? '/account/mfa'
            : next;
      return c.redirect(to, 303);
    } catch (err) {
      const { message, status } = signInError(err, c.var.lang);
      return c.html(
        <SignInPage
          lang={c.var.lang}
          next={next}
          error={message}
          username={str(posted.username).slice(0, 64)}
        />,
        status,
      );
    }
  });
  app.get('/login/mfa', (c) => {
    if (c.var.auth?.state !== 'pending') return c.redirect('/login', 303);
    return c.html(<SecondFactorPage lang={c.var.lang} next={safeNext(c.req.query('next'))} />);
  });
  app.post('/login/mfa', async (c) => {
    const posted = await postedForm(c);
    const next = safeNext(posted.next);
    try {
      const token = await passSecondFactor(c.var.ctx.db, sessionToken(c), posted.code, clientOf(c));
      setSessionCookie(c, token);
      return c.redirect(next, 303);
    } catch (err) {
      const { message, status } = signInError(err, c.var.lang);
      if (c.var.auth?.state !== 'pending') return c.redirect('/login', 303);
      return c.html(<SecondFactorPage lang={c.var.lang} next={next} error={message} />, status);
    }
  });
  app.post('/logout', async (c) => {
    await signOut(c.var.ctx.db, sessionToken(c));
    clearSessionCookie(c);
    return c.redirect('/login', 303);
  });
}

function AccountPage(props: {
  lang: Language;
  path: string;
  me: UserView;
  sessions: Awaited<ReturnType<typeof listSessions>>;
  tokens: Awaited<ReturnType<typeof listApiTokens>>;
  currentSession?: string | undefined;
  newToken?: string | undefined;
  errors?: FieldErrors | undefined;
  notice?: string | undefined;
}) {
  const { lang, me } = props;
  const tr = translator(lang);
  const roleText = (a: UserView['assignments'][number]) =>
    `${tr(`role.${a.role}`)}${a.program ? ` · ${a.program}` : ''}${a.organization ? ` · ${a.organization}` : ''}${a.owner ? ` · ${a.owner}` : ''}`;
  return (
    <Layout lang={lang} title={tr('ui.account.title')} path={props.path}>
      <h1>{tr('ui.account.title')}</h1>
      <p class="sub">
        {me.displayName} (<code>{me.username}</code>)
      </p>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <div class="grid">
        <section class="card" aria-labelledby="roles-h">
          <h2 id="roles-h">{tr('ui.account.roles')}</h2>
          <ul class="plain">
            {me.assignments.length === 0 ? <li class="muted">{tr('ui.none')}</li> : null}
            {me.assignments.map((a) => (
              <li>{roleText(a)}</li>
            ))}
          </ul>
        </section>
        <section class="card" aria-labelledby="mfa-h">
          <h2 id="mfa-h">{tr('ui.account.mfa')}</h2>
          <p>{me.mfa ? tr('ui.account.mfaOn') : tr('ui.account.mfaOff')}</p>
          {me.mfa ? null : <a href="/account/mfa">{tr('ui.account.enrol')}</a>}
          <p>
            <a href="/account/password">{tr('ui.account.changePassword')}</a>
          </p>
          <p>
            <a href="/account/notifications">{tr('ui.notifications.settings')}</a>
          </p>
        </section>
      </div>
      <h2 id="sessions-h">{tr('ui.account.sessions')}</h2>
      <table aria-labelledby="sessions-h">
        <thead>
          <tr>
            <th scope="col">{tr('ui.account.signedIn')}</th>
            <th scope="col">{tr('ui.account.lastSeen')}</th>
            <th scope="col">{tr('ui.account.address')}</th>
            <th scope="col">{tr('ui.account.browser')}</th>
            <th scope="col">
              <span class="visually-hidden">{tr('ui.account.revoke')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.sessions.map((s) => (
            <tr>
              <td class="d">{formatInstant(lang, s.createdAt)}</td>
              <td class="d">{formatInstant(lang, s.lastSeenAt)}</td>
              <td>{s.address ?? '—'}</td>
              <td class="small">{s.userAgent?.slice(0, 80) ?? '—'}</td>
              <td>
                {s.id === props.currentSession ? (
                  <span class="muted">{tr('ui.account.thisSession')}</span>
                ) : (
                  <InlineAction action={`/account/sessions/${s.id}/revoke`} label={tr('ui.account.revoke')} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 id="tokens-h">{tr('ui.account.tokens')}</h2>
      {props.newToken ? (
        <div class="notice" role="status">
          <p>{tr('ui.account.tokenOnce')}</p>
          <code class="secret">{props.newToken}</code>
        </div>
      ) : null}
      <table aria-labelledby="tokens-h">
        <thead>
          <tr>
            <th scope="col">{tr('ui.account.tokenName')}</th>
            <th scope="col">{tr('ui.account.created')}</th>
            <th scope="col">{tr('ui.account.expires')}</th>
            <th scope="col">{tr('ui.account.lastUsed')}</th>
            <th scope="col">
              <span class="visually-hidden">{tr('ui.account.revoke')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.tokens.length === 0 ? (
            <tr>
              <td colspan={5} class="muted">
                {tr('ui.none')}
              </td>
            </tr>
          ) : null}
          {props.tokens.map((k) => (
            <tr>
              <td>{k.name}</td>
              <td class="d">{formatInstant(lang, k.created_at)}</td>
              <td class="d">{formatInstant(lang, k.expires_at)}</td>
              <td class="d">{k.last_used_at ? formatInstant(lang, k.last_used_at) : '—'}</td>
              <td>
                {k.revoked_at ? (
                  <span class="muted">{tr('ui.account.revoked')}</span>
                ) : (
                  <InlineAction action={`/account/tokens/${k.id}/revoke`} label={tr('ui.account.revoke')} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action="/account/tokens" class="card form-grid spaced-form">
        <h3 class="form-wide">{tr('ui.account.newToken')}</h3>
        <div class="field">
          <label for="t-name">{tr('ui.account.tokenName')}</label>
          <input id="t-name" name="name" required aria-invalid={props.errors?.name ? 'true' : undefined} />
          <FieldError id="t-name" errors={props.errors} field="name" />
        </div>
        <div class="field">
          <label for="t-days">{tr('ui.account.days')}</label>
          <input
            id="t-days"
            name="expiresInDays"
            value="90"
            inputmode="numeric"
            aria-invalid={props.errors?.expiresInDays ? 'true' : undefined}
          />
          <FieldError id="t-days" errors={props.errors} field="expiresInDays" />
        </div>
        <fieldset class="field form-wide">
          <legend>{tr('ui.account.tokenRoles')}</legend>
          {me.assignments.map((a) => (
            <label class="check-label">
              <input type="checkbox" name="assignments" value={a.id} class="check" /> {roleText(a)}
            </label>
          ))}
          <FieldError id="t-roles" errors={props.errors} field="assignments" />
        </fieldset>
        <div class="form-wide">
          <button type="submit">{tr('ui.account.createToken')}</button>
        </div>
      </form>
    </Layout>
  );
}

async function accountPage(
  c: Context<AppEnv>,
  extra: { newToken?: string; errors?: FieldErrors; notice?: string } = {},
  status = 200,
) {
  const ctx = c.var.ctx;
  const [me, sessions, tokens] = await Promise.all([myAccount(ctx), listSessions(ctx), listApiTokens(ctx)]);
  return c.html(
    <AccountPage
      lang={c.var.lang}
      path="/account"
      me={me}
      sessions={sessions}
      tokens={tokens}
      currentSession={c.var.auth?.sessionId}
      {...extra}
    />,
    status as 200,
  );
}

function MfaPage(props: {
  lang: Language;
  enrolment?: { secret: string; qr: string };
  codes?: string[];
  errors?: FieldErrors;
}) {
  const tr = translator(props.lang);
  return (
    <Layout lang={props.lang} title={tr('ui.account.mfa')} path="/account/mfa">
      <div class="narrow">
        <h1>{tr('ui.account.mfa')}</h1>
        {props.codes ? (
          <div class="notice" role="status">
            <p>{tr('ui.account.recoveryCodes')}</p>
            <ul class="codes">
              {props.codes.map((k) => (
                <li>
                  <code>{k}</code>
                </li>
              ))}
            </ul>
            <p>
              <a href="/">{tr('ui.account.continue')}</a>
            </p>
          </div>
        ) : props.enrolment ? (
          <>
            <p>{tr('ui.account.scan')}</p>
            <div class="qr">{raw(props.enrolment.qr)}</div>
            <p class="small">
              {tr('ui.account.orEnter')} <code class="secret">{props.enrolment.secret}</code>
            </p>
            <form method="post" action="/account/mfa" class="card">
              <label for="code">{tr('ui.auth.code')}</label>
              <input
                id="code"
                name="code"
                autocomplete="one-time-code"
                inputmode="numeric"
                required
                aria-invalid={props.errors?.code ? 'true' : undefined}
                aria-describedby={props.errors?.code ? 'code-error' : undefined}
              />
              <FieldError id="code" errors={props.errors} field="code" />
              <button type="submit">{tr('ui.auth.verify')}</button>
            </form>
          </>
        ) : (
          <p>{tr('ui.account.mfaOn')}</p>
        )}
      </div>
    </Layout>
  );
}

export function registerAccountPages(app: OpenAPIHono<AppEnv>): void {
  app.get('/account', (c) => accountPage(c));
  app.get('/account/mfa', async (c) => {
    const me = await myAccount(c.var.ctx);
    if (me.mfa) return c.html(<MfaPage lang={c.var.lang} />);
    const enrolment = await startTotpEnrolment(c.var.ctx, c.var.auth?.sessionId);
    return c.html(<MfaPage lang={c.var.lang} enrolment={enrolment} />);
  });
  app.post('/account/mfa', async (c) => {
    const posted = await postedForm(c);
    try {
      const { codes, token } = await confirmTotp(c.var.ctx, c.var.auth?.sessionId, posted.code, clientOf(c));
      // The session that enrolled is replaced by one past the second factor.
      setSessionCookie(c, token);
      return c.html(<MfaPage lang={c.var.lang} codes={codes} />);
    } catch (err) {
      const errors = fieldErrors(err, c.var.lang);
      const enrolment = await startTotpEnrolment(c.var.ctx, c.var.auth?.sessionId);
      return c.html(
        <MfaPage lang={c.var.lang} enrolment={enrolment} errors={errors} />,
        (err as AppError).status as 422,
      );
    }
  });
  app.get('/account/password', (c) => c.html(<PasswordPage lang={c.var.lang} />));
  app.post('/account/password', async (c) => {
    const posted = await postedForm(c);
    try {
      await changePassword(
        c.var.ctx,
        c.var.auth?.sessionId,
        { current: posted.current, next: posted.next, confirm: posted.confirm },
        clientOf(c).address,
      );
      return accountPage(c, { notice: t(c.var.lang, 'ui.account.passwordChanged') });
    } catch (err) {
      return c.html(
        <PasswordPage lang={c.var.lang} errors={fieldErrors(err, c.var.lang)} />,
        (err as AppError).status as 422,
      );
    }
  });
  app.post('/account/sessions/:id/revoke', async (c) => {
    await revokeSession(c.var.ctx, c.req.param('id'));
    return c.redirect('/account', 303);
  });
  app.post('/account/tokens', async (c) => {
    const posted = await postedForm(c);
    const assignments = ([] as unknown[])
      .concat(posted.assignments ?? [])
      .filter((x) => typeof x === 'string');
    try {
      const { token } = await createApiToken(c.var.ctx, {
        name: posted.name,
        expiresInDays: posted.expiresInDays,
        assignments,
      });
      return accountPage(c, { newToken: token });
    } catch (err) {
      return accountPage(c, { errors: fieldErrors(err, c.var.lang) }, (err as AppError).status);
    }
  });
  app.post('/account/tokens/:id/revoke', async (c) => {
    await revokeApiToken(c.var.ctx, c.req.param('id'));
    return c.redirect('/account', 303);
  });
}

function PasswordPage(props: { lang: Language; errors?: FieldErrors }) {
  const tr = translator(props.lang);
  const field = (name: string, label: string, autocomplete: string) => (
    <>
      <label for={`p-${name}`}>{tr(label)}</label>
      <input
        id={`p-${name}`}
        name={name}
        type="password"
        autocomplete={autocomplete}
        required
        aria-invalid={props.errors?.[name] ? 'true' : undefined}
        aria-describedby={props.errors?.[name] ? `p-${name}-error` : undefined}
      />
      <FieldError id={`p-${name}`} errors={props.errors} field={name} />
    </>
  );
  return (
    <Layout lang={props.lang} title={tr('ui.account.changePassword')} path="/account/password">
      <div class="narrow">
        <h1>{tr('ui.account.changePassword')}</h1>
        <form method="post" action="/account/password" class="card">
          {field('current', 'ui.account.currentPassword', 'current-password')}
          {field('next', 'ui.account.newPassword', 'new-password')}
          {field('confirm', 'ui.account.confirmPassword', 'new-password')}
          <button type="submit">{tr('ui.account.changePassword')}</button>
        </form>
      </div>
    </Layout>
  );
}
