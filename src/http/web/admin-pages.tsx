/** @jsxImportSource hono/jsx */
/** Administration: the users, their roles; a new user's password is shown once to the admin who made it. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ROLES } from '../../domain/access.ts';
import type { AppError } from '../../domain/errors.ts';
import { type Language, translator } from '../../i18n/index.ts';
import {
  createUser,
  disableUser,
  grantRole,
  listUsers,
  type UserView,
} from '../../services/account.service.ts';
import type { AppEnv } from '../env.ts';
import { FieldError, type FieldErrors, InlineAction } from './forms.tsx';
import { Layout } from './layout.tsx';
import { fieldErrors, postedForm } from './register-pages.tsx';

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** A role as a form describes it: the program, organization and team only where the role has one. */
function assignmentOf(posted: Record<string, unknown>) {
  const role = text(posted.role);
  return {
    role,
    program: role === 'admin' ? null : text(posted.program) || null,
    ...(role === 'contractor' ? { organization: text(posted.organization) || null } : {}),
    ...(role === 'measure_owner' ? { owner: text(posted.owner) || null } : {}),
  };
}

function RoleFields(props: { lang: Language; prefix: string; errors?: FieldErrors | undefined }) {
  const tr = translator(props.lang);
  const id = (n: string) => `${props.prefix}${n}`;
  return (
    <>
      <div class="field">
        <label for={id('role')}>{tr('ui.admin.role')}</label>
        <select id={id('role')} name="role">
          {ROLES.map((r) => (
            <option value={r}>{tr(`role.${r}`)}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={id('program')}>{tr('ui.admin.program')}</label>
        <input id={id('program')} name="program" value="LY-2024" />
        <FieldError id={id('program')} errors={props.errors} field="assignments[0].program" />
      </div>
      <div class="field">
        <label for={id('organization')}>{tr('ui.admin.organization')}</label>
        <input id={id('organization')} name="organization" />
        <FieldError id={id('organization')} errors={props.errors} field="assignments[0].organization" />
      </div>
      <div class="field">
        <label for={id('owner')}>{tr('ui.admin.owner')}</label>
        <input id={id('owner')} name="owner" />
        <FieldError id={id('owner')} errors={props.errors} field="assignments[0].owner" />
      </div>
    </>
  );
}

function UsersPage(props: {
  lang: Language;
  users: UserView[];
  created?: { username: string; password: string } | undefined;
  errors?: FieldErrors | undefined;
}) {
  const tr = translator(props.lang);
  return (
    <Layout lang={props.lang} title={tr('ui.admin.users')} path="/admin/users">
      <h1>{tr('ui.admin.users')}</h1>
      {props.created ? (
        <div class="notice" role="status">
          <p>{tr('ui.admin.passwordOnce', { username: props.created.username })}</p>
          <code class="secret">{props.created.password}</code>
        </div>
      ) : null}
      <table>
        <thead>
          <tr>
            <th scope="col">{tr('ui.auth.username')}</th>
            <th scope="col">{tr('ui.admin.name')}</th>
            <th scope="col">{tr('ui.account.roles')}</th>
            <th scope="col">{tr('ui.account.mfa')}</th>
            <th scope="col">{tr('ui.admin.state')}</th>
          </tr>
        </thead>
        <tbody>
          {props.users.map((u) => (
            <tr>
              <td>
                <code>{u.username}</code>
              </td>
              <td>{u.displayName}</td>
              <td class="small">
                {u.assignments.map((a) => (
                  <div>
                    {tr(`role.${a.role}`)}
                    {a.program ? ` · ${a.program}` : ''}
                    {a.organization ? ` · ${a.organization}` : ''}
                    {a.owner ? ` · ${a.owner}` : ''}
                  </div>
                ))}
                <details>
                  <summary>{tr('ui.admin.addRole')}</summary>
                  <form
                    method="post"
                    action={`/admin/users/${encodeURIComponent(u.username)}/roles`}
                    class="form-grid"
                  >
                    <RoleFields lang={props.lang} prefix={`r-${u.username}-`} />
                    <div class="form-wide">
                      <button type="submit">{tr('ui.admin.addRole')}</button>
                    </div>
                  </form>
                </details>
              </td>
              <td>{u.mfa ? tr('ui.yes') : tr('ui.no')}</td>
              <td>
                {u.disabled ? (
                  tr('ui.admin.disabled')
                ) : (
                  <InlineAction
                    action={`/admin/users/${encodeURIComponent(u.username)}/disable`}
                    label={tr('ui.admin.disable')}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action="/admin/users" class="card form-grid spaced-form">
        <h2 class="form-wide">{tr('ui.admin.newUser')}</h2>
        {props.errors?.[''] ? (
          <p class="field-error form-wide" role="alert">
            {props.errors['']}
          </p>
        ) : null}
        <div class="field">
          <label for="u-username">{tr('ui.auth.username')}</label>
          <input
            id="u-username"
            name="username"
            required
            aria-invalid={props.errors?.username ? 'true' : undefined}
          />
          <FieldError id="u-username" errors={props.errors} field="username" />
        </div>
        <div class="field">
          <label for="u-name">{tr('ui.admin.name')}</label>
          <input id="u-name" name="displayName" />
          <FieldError id="u-name" errors={props.errors} field="displayName" />
        </div>
        <RoleFields lang={props.lang} prefix="u-" errors={props.errors} />
        <div class="form-wide">
          <button type="submit">{tr('ui.admin.create')}</button>
        </div>
      </form>
    </Layout>
  );
}

async function usersPage(
  c: Context<AppEnv>,
  extra: Omit<Parameters<typeof UsersPage>[0], 'lang' | 'users'> = {},
  status = 200,
) {
  return c.html(<UsersPage lang={c.var.lang} users={await listUsers(c.var.ctx)} {...extra} />, status as 200);
}

export function registerAdminPages(app: OpenAPIHono<AppEnv>): void {
  app.get('/admin/users', (c) => usersPage(c));
  app.post('/admin/users', async (c) => {
    const posted = await postedForm(c);
    const username = text(posted.username);
    try {
      const { password } = await createUser(c.var.ctx, {
        username,
        ...(text(posted.displayName) ? { displayName: text(posted.displayName) } : {}),
        assignments: [assignmentOf(posted)],
      });
      return usersPage(c, { created: { username: username.toLowerCase(), password: password! } });
    } catch (err) {
      return usersPage(c, { errors: fieldErrors(err, c.var.lang) }, (err as AppError).status);
    }
  });
  app.post('/admin/users/:username/roles', async (c) => {
    const posted = await postedForm(c);
    try {
      await grantRole(c.var.ctx, c.req.param('username'), assignmentOf(posted));
      return c.redirect('/admin/users', 303);
    } catch (err) {
      return usersPage(c, { errors: fieldErrors(err, c.var.lang) }, (err as AppError).status);
    }
  });
  app.post('/admin/users/:username/disable', async (c) => {
    await disableUser(c.var.ctx, c.req.param('username'));
    return c.redirect('/admin/users', 303);
  });
}
