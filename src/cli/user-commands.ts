/**
 * bin/oversight user: the first admin and every account after it, from the machine that holds
 * the database. A generated password (and, with --totp, an authenticator secret) is printed once.
 */
import { type Command, Option } from 'commander';
import { ROLES } from '../domain/access.ts';
import { AppError } from '../domain/errors.ts';
import { t } from '../i18n/index.ts';
import { createUser, disableUser, grantRole, listUsers } from '../services/account.service.ts';
import { validate } from '../services/context.ts';
import { settingsSchema, setUserNotificationSettings } from '../services/notification.service.ts';
import { provisionTotp } from '../services/session.service.ts';
import type { CommandEnv } from './analysis-commands.ts';

/** `--role program_manager@LY-2024`, `--role contractor@LY-2024:NAVER-CLOUD`, `--role measure_owner@LY-2024:Network team`, `--role admin`. */
export function parseRole(spec: string) {
  const m = /^([a-z_]+)(?:@([^:]+)(?::(.+))?)?$/.exec(spec.trim());
  if (!m || !(ROLES as readonly string[]).includes(m[1]!))
    throw new AppError('bad_request', 'errors.validation', { count: 1 }, [
      {
        path: 'role',
        key: 'validation.invalid_value',
        params: { allowed: ROLES.join(', '), input: JSON.stringify(spec) },
      },
    ]);
  const [, role, program, scope] = m;
  return {
    role,
    program: program ?? null,
    ...(role === 'contractor' ? { organization: scope ?? null } : {}),
    ...(role === 'measure_owner' ? { owner: scope ?? null } : {}),
  };
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerUserCommands(program: Command, env: CommandEnv): void {
  const user = program.command('user').description('accounts: add, list, disable, grant a role');
  user
    .command('add')
    .description('create a user; its password is generated and printed once')
    .argument('<username>', 'lower-case letters, digits and . _ @ -')
    .option('--name <name>', 'display name')
    .addOption(
      new Option('--role <role>', 'ROLE[@PROGRAM[:ORGANIZATION|TEAM]], repeatable')
        .argParser(collect)
        .default([]),
    )
    .option('--totp', 'also set up an authenticator (printed once): for admins and program managers')
    .option('--email <address>', 'where reminders are e-mailed')
    .addOption(new Option('--language <lang>', 'language of e-mailed reminders').choices(['ja', 'en']))
    .action(
      async (
        username: string,
        opts: { name?: string; role: string[]; totp?: boolean; email?: string; language?: string },
      ) => {
        const lang = env.language();
        await env.withDatabase(async (ctx) => {
          // Checked before the account is made, so a bad address leaves no account behind.
          const notifyBy =
            opts.email || opts.language
              ? validate(settingsSchema, {
                  ...(opts.email ? { email: opts.email } : {}),
                  ...(opts.language ? { language: opts.language } : {}),
                })
              : undefined;
          const { password } = await createUser(ctx, {
            username,
            ...(opts.name ? { displayName: opts.name } : {}),
            assignments: opts.role.map(parseRole),
          });
          env.out(t(lang, 'cli.userAdded', { username: username.toLowerCase(), password }));
          if (opts.totp)
            env.out(
              t(lang, 'cli.userAddedTotp', { secret: await provisionTotp(ctx, username.toLowerCase()) }),
            );
          if (notifyBy) await setUserNotificationSettings(ctx, username.toLowerCase(), notifyBy);
        });
      },
    );
  user
    .command('set')
    .description("change a user's e-mail address or language for reminders")
    .argument('<username>')
    .option('--email <address>', 'where reminders are e-mailed ("" to send none)')
    .addOption(new Option('--language <lang>', 'language of e-mailed reminders').choices(['ja', 'en']))
    .action(async (username: string, opts: { email?: string; language?: string }) => {
      const lang = env.language();
      const settings = await env.withDatabase((ctx) =>
        setUserNotificationSettings(ctx, username.toLowerCase(), {
          ...(opts.email !== undefined ? { email: opts.email } : {}),
          ...(opts.language ? { language: opts.language } : {}),
        }),
      );
      env.out(
        t(lang, 'cli.userReminders', {
          username: username.toLowerCase(),
          email: settings.email ?? '—',
          language: settings.language ?? '—',
        }),
      );
    });
  user
    .command('list')
    .description('list the users and their roles')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const lang = env.language();
      const users = await env.withDatabase((ctx) => listUsers(ctx));
      if (opts.json) return env.out(JSON.stringify(users, null, 2));
      for (const u of users)
        env.out(
          `${u.username.padEnd(16)} ${u.disabled ? '(disabled) ' : ''}${u.mfa ? 'MFA ' : ''}${u.assignments
            .map(
              (a) =>
                `${t(lang, `role.${a.role}`)}${a.program ? `@${a.program}` : ''}${a.organization ? `:${a.organization}` : ''}${a.owner ? `:${a.owner}` : ''}`,
            )
            .join(', ')}`,
        );
    });
  user
    .command('disable')
    .description('disable a user: every session and token ends at once')
    .argument('<username>')
    .action(async (username: string) => {
      await env.withDatabase((ctx) => disableUser(ctx, username));
      env.out(t(env.language(), 'cli.userDisabled', { username }));
    });
  user
    .command('grant')
    .description('give a user one more role')
    .argument('<username>')
    .argument('<role>', 'ROLE[@PROGRAM[:ORGANIZATION|TEAM]]')
    .action(async (username: string, role: string) => {
      await env.withDatabase((ctx) => grantRole(ctx, username, parseRole(role)));
      env.out(t(env.language(), 'cli.roleGranted', { username, role }));
    });
}
