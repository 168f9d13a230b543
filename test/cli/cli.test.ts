import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanProgram } from '../support/builders.ts';
import { startMailReceiver } from '../support/receivers.ts';

const root = new URL('../..', import.meta.url).pathname;
const bin = join(root, 'bin/oversight');
const demo = join(root, 'examples/ly-2024.yaml');
const work = mkdtempSync(join(tmpdir(), 'oversight-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs bin/oversight with an embedded data directory (never the developer's DATABASE_URL). */
function oversight(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return run(bin, args, env);
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: work,
      env: { ...process.env, DATABASE_URL: '', LANG: 'C', OVERSIGHT_LANG: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

// Each command is a process of its own that opens the embedded database; with the rest of the
// suite running beside it on two cores, a test of a few commands can take over a minute.
describe('bin/oversight', { timeout: 180_000 }, () => {
  it('exports the demo so that an import into an empty data dir exports byte-identical', async () => {
    const a = join(work, 'a');
    const b = join(work, 'b');
    expect((await oversight(['--data-dir', a, 'import', demo])).code).toBe(0);
    const first = await oversight(['--data-dir', a, 'export', 'LY-2024', '-o', join(work, 'first.yaml')]);
    expect(first.code).toBe(0);
    const imported = await oversight(['--data-dir', b, 'import', join(work, 'first.yaml')]);
    expect(imported.stdout).toMatch(/^Imported LY-2024 into .*: 12 organizations/);
    const second = await oversight(['--data-dir', b, 'export', 'LY-2024']);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(readFileSync(join(work, 'first.yaml'), 'utf8'));
  });

  it('prints every mistake of a broken file with line:column and field path, exits 1 and changes nothing', async () => {
    const a = join(work, 'a');
    const before = await oversight(['--data-dir', a, 'export', 'LY-2024']);
    const broken = join(work, 'broken.yaml');
    writeFileSync(
      broken,
      readFileSync(demo, 'utf8')
        .replace('code: LY-2024', 'code: LY-BROKEN')
        .replace('issuedOn: 2024-04-16', 'issuedOn: 2024-04-31')
        .replace('    dependsOn: [MS-BLOCK]', '    dependsOn: [MS-BLOCK, MS-GHOST]')
        .replace('code: M-ACCESS\n', 'code: M-2FA\n')
        .replace(
          '        dependsOn: [MS-NETSEP-FW]\n',
          '        dependsOn: [MS-NETSEP-FW]\n        priority: high\n',
        ),
    );
    const result = await oversight(['--data-dir', a, 'import', broken]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        /broken\.yaml:\d+:\d+: directives\[1\]\.issuedOn: not a date \(expected YYYY-MM-DD, got "2024-04-31"\)$/,
      ),
      expect.stringMatching(
        /broken\.yaml:\d+:\d+: measures\[1\]\.milestones\[1\]\.dependsOn\[1\]: no milestone has the code MS-GHOST$/,
      ),
      expect.stringMatching(
        /broken\.yaml:\d+:\d+: measures\[2\]\.code: measure code M-2FA is used twice \(first at measures\[0\]\)$/,
      ),
      expect.stringMatching(
        /broken\.yaml:\d+:\d+: measures\[5\]\.milestones\[1\]\.priority: unknown field priority$/,
      ),
      '4 problem(s) in broken.yaml; nothing was imported.'.replace('broken.yaml', broken),
    ]);
    const programs = await oversight(['--data-dir', a, 'programs', '--json']);
    expect(JSON.parse(programs.stdout).map((p: { code: string }) => p.code)).toEqual(['LY-2024']);
    expect((await oversight(['--data-dir', a, 'export', 'LY-2024'])).stdout).toBe(before.stdout);
  });

  it('says in its own words when a file is not YAML, or is missing', async () => {
    const notYaml = join(work, 'not.yaml');
    writeFileSync(notYaml, 'program: [\n  oops: }\n');
    const result = await oversight(['--data-dir', join(work, 'c'), 'import', notYaml]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not\.yaml:2:\d+: not YAML or JSON: /);
    const missing = await oversight(['--data-dir', join(work, 'c'), 'import', join(work, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read .*nope\.yaml/);
  });

  it('speaks Japanese with --lang ja', async () => {
    const notYaml = join(work, 'not.yaml');
    const result = await oversight(['--lang', 'ja', '--data-dir', join(work, 'c'), 'import', notYaml]);
    expect(result.stderr).toContain('YAML でも JSON でもありません');
  });

  it('lints: exit 1 while errors remain, 0 once they are answered', async () => {
    const a = join(work, 'a');
    const april = await oversight(['--data-dir', a, 'lint', 'LY-2024', '--as-of', '2024-04-01']);
    expect(april.code).toBe(1);
    expect(april.stdout).toMatch(/^LY-2024 as of 2024-04-01: \d+ error\(s\)/);
    expect(april.stdout).toContain('relationships/R-NAVER-CLOUD-INFRA');
    const july = await oversight([
      '--data-dir',
      a,
      'lint',
      'LY-2024',
      '--as-of',
      '2024-07-01',
      '--format',
      'json',
    ]);
    // The July report answered the letter; what remains are providers with no attested level.
    const julyErrors = JSON.parse(july.stdout).findings.filter(
      (f: { severity: string }) => f.severity === 'error',
    );
    expect(julyErrors.some((f: { rule: string }) => f.rule === 'relationship-undecided')).toBe(false);
    const clean = join(work, 'clean.json');
    writeFileSync(clean, JSON.stringify(cleanProgram()));
    const c = join(work, 'clean');
    expect((await oversight(['--data-dir', c, 'import', clean])).code).toBe(0);
    const passing = await oversight(['--data-dir', c, 'lint', 'CLEAN', '--as-of', '2024-06-01']);
    expect(passing.code).toBe(0);
    expect(passing.stdout).toContain('0 error(s), 0 warning(s)');
    expect((await oversight(['--data-dir', a, 'lint', 'LY-2024', '--as-of', '2024-02-30'])).code).toBe(2);
    const schedule = await oversight(['--data-dir', a, 'schedule', 'LY-2024', '--as-of', '2024-07-01']);
    expect(schedule.code).toBe(0);
    expect(schedule.stdout).toContain('Critical paths');
  });

  it('prints exposure paths and the control chain', async () => {
    const a = join(work, 'a');
    const exposure = await oversight([
      '--data-dir',
      a,
      'exposure',
      'LY-2024',
      '--as-of',
      '2024-04-01',
      '--org',
      'COMPANY-A',
    ]);
    expect(exposure.code).toBe(0);
    expect(exposure.stdout).toContain(
      'COMPANY-A -[network_route: AX-COMPANY-A-NC-NET]→ SYS-NET-NC-DC -[trust: L-NC-NET-TO-AUTH]→ SYS-AUTH-SHARED',
    );
    const control = await oversight(['--data-dir', a, 'control', 'LY-2024']);
    expect(control.stdout).toMatch(/NAVER\s+32\.25 %\s+controls/);
    expect(control.stdout).toContain('⚑ NAVER-CLOUD (through NAVER) → LY (R-NAVER-CLOUD-INFRA)');
  });

  it('writes the register as XLSX and CSV and imports it back', async () => {
    const a = join(work, 'a');
    const file = join(work, 'register.xlsx');
    const written = await oversight(['--data-dir', a, 'register', 'LY-2024', '--format', 'xlsx', '-o', file]);
    expect(written.stdout).toContain('(10 relationships)');
    const csv = join(work, 'register.csv');
    expect(
      (await oversight(['--data-dir', a, 'register', 'LY-2024', '--format', 'csv', '-o', csv])).code,
    ).toBe(0);
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toMatch(/^\uFEFFReference,Service,/);
    const back = await oversight(['--data-dir', a, 'register', 'import', 'LY-2024', file]);
    expect(back.stdout).toContain('0 created, 0 updated, 0 new decisions, 10 unchanged');
    expect((await oversight(['--data-dir', a, 'register', 'LY-2024'])).code).toBe(2);
  });

  it('writes the public site as static files', async () => {
    const a = join(work, 'a');
    const out = join(work, 'site');
    const published = await oversight(['--data-dir', a, 'publish', 'LY-2024', '--out', out]);
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toMatch(/^Wrote \d+ files of the public site into /);
    expect(readFileSync(join(out, 'ja/index.html'), 'utf8')).toContain('再発防止策の進捗状況');
    expect(readFileSync(join(out, 'en/feed.atom'), 'utf8')).toContain(
      '<feed xmlns="http://www.w3.org/2005/Atom"',
    );
    expect((await oversight(['--data-dir', a, 'publish', 'LY-2024'])).code).toBe(2);
  });

  it('generates a program file of a scale, the same for the same seed, that imports', async () => {
    const file = join(work, 'gen.yaml');
    const made = await oversight(['generate', '--scale', '1', '--seed', '3', '-o', file]);
    expect(made.code, made.stderr).toBe(0);
    const again = await oversight(['generate', '--scale', '1', '--seed', '3']);
    expect(again.stdout).toBe(readFileSync(file, 'utf8'));
    const imported = await oversight(['--data-dir', join(work, 'generated'), 'import', file]);
    expect(imported.stdout).toContain('300 measures, 1500 milestones');
    expect((await oversight(['generate', '--scale', '0'])).code).toBe(2);
  });

  it('exits 2 on a usage error and 0 on --help', async () => {
    expect((await oversight(['import'])).code).toBe(2);
    expect((await oversight(['frobnicate'])).code).toBe(2);
    expect((await oversight(['export', 'X', '--format', 'pdf'])).code).toBe(2);
    const help = await oversight(['import', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('all or nothing');
  });

  it('fails in one line, without a stack trace, when it cannot write or listen', async () => {
    const a = join(work, 'a');
    const unwritable = await oversight([
      '--data-dir',
      a,
      'export',
      'LY-2024',
      '-o',
      join(work, 'no/such/dir/x.yaml'),
    ]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr.trim()).toMatch(/^Cannot write .*x\.yaml: ENOENT/);
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = String((blocker.address() as AddressInfo).port);
    try {
      const busy = await oversight([
        '--data-dir',
        join(work, 'busy'),
        'serve',
        '--port',
        port,
        '--host',
        '127.0.0.1',
        '--no-seed',
      ]);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(busy.stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
    // The failed start released the data directory.
    expect((await oversight(['--data-dir', join(work, 'busy'), 'programs'])).code).toBe(0);
  });

  it('migrates, and says so when there is nothing left to apply', async () => {
    const d = join(work, 'm');
    expect((await oversight(['--data-dir', d, 'migrate'])).stdout).toContain('Applied: 0001-program-model');
    expect((await oversight(['--data-dir', d, 'migrate'])).stdout).toContain('The database is up to date.');
  });

  it('adds the first admin with a generated password printed once, lists, grants and disables users', async () => {
    const d = join(work, 'users');
    const added = await oversight([
      '--data-dir',
      d,
      'user',
      'add',
      'Alice',
      '--name',
      'Alice A.',
      '--role',
      'admin',
      '--totp',
    ]);
    expect(added.code, added.stderr).toBe(0);
    const password = /Password \(shown once\): (\S+)/.exec(added.stdout)?.[1];
    expect(password?.length).toBeGreaterThanOrEqual(20);
    expect(added.stdout).toMatch(/TOTP, shown once\): [A-Z2-7]{16,}/);
    const granted = await oversight([
      '--data-dir',
      d,
      'user',
      'grant',
      'alice',
      'contractor@LY-2024:NAVER-CLOUD',
    ]);
    expect(granted.code, granted.stderr).toBe(0);
    const listed = await oversight(['--data-dir', d, 'user', 'list', '--json']);
    const users = JSON.parse(listed.stdout) as Array<{
      username: string;
      mfa: boolean;
      assignments: Array<{ role: string }>;
    }>;
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ username: 'alice', mfa: true });
    expect(users[0]!.assignments.map((a) => a.role)).toEqual(['admin', 'contractor']);
    // The password itself is nowhere in the database, only its argon2id hash.
    expect((await oversight(['--data-dir', d, 'user', 'list'])).stdout).not.toContain(password!);
    const bad = await oversight(['--data-dir', d, 'user', 'add', 'bob', '--role', 'emperor']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('emperor');
    const disabled = await oversight(['--data-dir', d, 'user', 'disable', 'alice']);
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toContain('disabled');
  });

  it('runs the reminders once from the command line: e-mails in the person’s language, nothing twice', async () => {
    const d = join(work, 'notify');
    expect((await oversight(['--data-dir', d, 'import', demo])).code).toBe(0);
    const added = await oversight([
      '--data-dir',
      d,
      'user',
      'add',
      'hana',
      '--role',
      'program_manager@LY-2024',
      '--email',
      'HANA@example.com',
      '--language',
      'ja',
    ]);
    expect(added.code, added.stderr).toBe(0);
    const bad = await oversight(['--data-dir', d, 'user', 'add', 'bob', '--email', 'not-an-address']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('email: not an e-mail address');
    expect((await oversight(['--data-dir', d, 'user', 'list'])).stdout).not.toContain('bob');
    // An existing account's address and language are changed with `user set`.
    const set = await oversight(['--data-dir', d, 'user', 'set', 'hana', '--email', 'hana@example.com']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('hana: e-mail hana@example.com, language ja');
    const nobody = await oversight(['--data-dir', d, 'user', 'set', 'nobody', '--email', 'x@example.com']);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('nobody');

    const mail = await startMailReceiver();
    try {
      const env = { SMTP_URL: mail.url, OVERSIGHT_BASE_URL: 'https://oversight.example.com' };
      const first = await oversight(['--data-dir', d, 'notify', 'run'], env);
      expect(first.code, first.stderr).toBe(0);
      const made = Number(/(\d+) new notifications/.exec(first.stdout)?.[1]);
      expect(made).toBeGreaterThan(0);
      expect(mail.mails).toHaveLength(made);
      expect(mail.mails.every((m) => m.to === 'hana@example.com' && m.language === 'ja')).toBe(true);
      expect(mail.mails.some((m) => m.subject.includes('期限を'))).toBe(true);
      const again = await oversight(['--data-dir', d, 'notify', 'run'], env);
      expect(again.stdout).toContain(' 0 new notifications');
      expect(mail.mails).toHaveLength(made);
      const status = await oversight(['--data-dir', d, 'notify', 'status', '--json']);
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout).counts.deliver).toEqual({ done: made });
    } finally {
      await mail.close();
    }
  });

  it('verifies the audit log, prints a proof and a checkpoint, and names a row changed behind its back', async () => {
    const d = join(work, 'audited');
    expect((await oversight(['--data-dir', d, 'import', demo])).code).toBe(0);
    const checkpoint = await oversight(['--data-dir', d, 'audit', 'checkpoint']);
    expect(checkpoint.stdout).toMatch(
      /^oversight\.local\/audit-log\/[0-9a-f]{16}\n1\n[A-Za-z0-9+/]{43}=\n\n\u2014 oversight-audit-log [A-Za-z0-9+/=]+\n$/,
    );
    const key = (await oversight(['--data-dir', d, 'audit', 'key'])).stdout.trim();
    const ok = await oversight(['--data-dir', d, 'audit', 'verify', '--verifier-key', key]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('The audit log verifies: 1 events, 1 signed checkpoints');
    const proofText = (await oversight(['--data-dir', d, 'audit', 'proof', '1'])).stdout;
    expect(JSON.parse(proofText)).toMatchObject({ seq: 1, leafIndex: 0, treeSize: 1, proof: [] });
    // A third party checks the proof with the standalone script and the published key only.
    const proofFile = join(work, 'proof.json');
    writeFileSync(proofFile, proofText);
    const script = join(root, 'scripts/verify-proof.mjs');
    const third = await run(process.execPath, [script, proofFile, key]);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toContain('VERIFIED: event 1');
    const forged = JSON.parse(proofText);
    forged.event.actor = 'someone-else';
    writeFileSync(proofFile, JSON.stringify(forged));
    const refused = await run(process.execPath, [script, proofFile, key]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the event does not give the leaf hash');
    writeFileSync(proofFile, JSON.stringify({ ...JSON.parse(proofText), seq: 999 }));
    const claimed = await run(process.execPath, [script, proofFile, key]);
    expect(claimed.code).toBe(1);
    expect(claimed.stderr).toContain('do not agree');
    // Someone edits a row directly in the database, with no event.
    const { openDatabase } = await import('../../src/db/connection.ts');
    const db = await openDatabase({ dataDir: d });
    await db.db
      .updateTable('measures')
      .set({ title: 'Edited behind the log' })
      .where('code', '=', 'M-NETSEP')
      .execute();
    await db.close();
    const bad = await oversight(['--data-dir', d, 'audit', 'verify']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('LY-2024: measures/M-NETSEP in the tables differs from what its events say');
    const wrongKey = await oversight(['--data-dir', d, 'audit', 'verify', '--verifier-key', 'nope']);
    expect(wrongKey.code).toBe(2);
  });

  it('exports a program as the audit log held it at an instant, not as the tables now say', async () => {
    // The audited directory of the test before: M-NETSEP's title was changed behind the log's back.
    const d = join(work, 'audited');
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const asOfLater = await oversight(['--data-dir', d, 'export', 'LY-2024', '--as-of', later]);
    expect(asOfLater.code, asOfLater.stderr).toBe(0);
    expect(asOfLater.stdout).toContain('title: Separate the networks');
    const before = await oversight([
      '--data-dir',
      d,
      'export',
      'LY-2024',
      '--as-of',
      '2000-01-01T00:00+09:00',
    ]);
    expect(before.code).toBe(1);
    expect(before.stderr.trim()).toBe(
      'The audit log holds no program LY-2024 at 1999-12-31T15:00:00.000Z: it was imported later, or never.',
    );
    const bare = await oversight(['--data-dir', d, 'export', 'LY-2024', '--as-of', '2024-04-01']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('not an instant');
  });

  it('says what is wrong with a bad port or number of workers, and refuses workers on the embedded database', async () => {
    const port = await oversight(['serve', '--port', 'abc']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("option '--port <port>' argument 'abc' is invalid");
    const zero = await oversight(['serve', '--workers', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('not a number of workers from 1 to 64: 0');
    const embedded = await oversight(['--data-dir', join(work, 'w'), 'serve', '--workers', '2']);
    expect(embedded.code).toBe(2);
    expect(embedded.stderr).toContain('need a PostgreSQL server (DATABASE_URL)');
  });

  it('refuses to open a data directory that a running server holds', async () => {
    const d = join(work, 'served');
    const server = spawn(bin, ['--data-dir', d, 'serve', '--port', '0', '--host', '127.0.0.1', '--no-seed'], {
      cwd: work,
      env: { ...process.env, DATABASE_URL: '' },
    });
    try {
      await waitFor(server, /serving on http:\/\/localhost:(\d+)/);
      const result = await oversight(['--data-dir', d, 'programs']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('The data directory is in use by another Oversight process');
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('close', r));
    }
    // Once the server has stopped, the directory can be opened again.
    expect((await oversight(['--data-dir', d, 'programs'])).code).toBe(0);
  });
});

function waitFor(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}: ${seen}`)), 60_000);
    const onData = (d: Buffer) => {
      seen += d.toString();
      const m = seen.match(pattern);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('close', (code) => reject(new Error(`exited ${code}: ${seen}`)));
  });
}
