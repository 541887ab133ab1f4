import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The `educonnect` command as an operator runs it, on the embedded database in a temporary data
 * dir (the PGlite project only; see vitest.config.ts).
 */
const CLI = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');
let dataDir: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { PATH: process.env.PATH, EDUCONNECT_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** Starts `serve` on a free port, waits for its banner, and returns its URL and a stopper. */
function serve(env: Record<string, string> = {}): Promise<{ url: string; stop: () => Promise<Run> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve'], {
      env: { PATH: process.env.PATH, EDUCONNECT_DATA_DIR: dataDir, LOG_LEVEL: 'warn', PORT: '0', HOST: '127.0.0.1', ...env },
    });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<Run>((done) => child.on('close', (code) => done({ code, stdout, stderr })));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      stdout += d;
      const match = /running at (http:\/\/\S+?)\/?\s/.exec(stdout);
      if (match) resolve({ url: match[1]!, stop: () => (child.kill('SIGTERM'), exited) });
    });
    void exited.then((r) => reject(new Error(`serve exited early (${r.code}): ${r.stderr}`)));
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'educonnect-cli-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('educonnect CLI', () => {
  it('migrates, then reports the database up to date', async () => {
    const first = await cli(['migrate']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('0001_initial');
    const second = await cli(['migrate']);
    expect(second.stdout).toContain('up to date');
  });

  it('creates an admin with the password on stdin, and refuses a duplicate', async () => {
    const created = await cli(['create-user', '--role', 'admin', '--username', 'root-admin', '--email', 'root@example.org'], { stdin: 'a long enough password\n' });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/Created admin "root-admin"/);
    const dup = await cli(['create-user', '--role', 'admin', '--username', 'ROOT-ADMIN', '--email', 'x@example.org', '--password', 'another password']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
    const bad = await cli(['create-user', '--role', 'wizard', '--username', 'x', '--email', 'y']);
    expect(bad.code).not.toBe(0);
  });

  it('serves with demo content, keeps data across a restart, and never duplicates the demo', async () => {
    const first = await serve();
    const login = async (url: string, username: string, password: string) =>
      fetch(`${url}/auth/token/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    const admin = await login(first.url, 'admin', 'admin-demo-2026');
    expect(admin.status).toBe(200);
    // The admin made earlier with create-user is still there: same data dir, same database.
    expect((await login(first.url, 'root-admin', 'a long enough password')).status).toBe(200);
    const { access } = (await admin.json()) as { access: string };
    const classesBefore = (await (await fetch(`${first.url}/edu_admin/classes/`, { headers: { authorization: `Bearer ${access}` } })).json()) as { count: number };
    expect(classesBefore.count).toBe(2);
    const stopped = await first.stop();
    expect(stopped.code).toBe(0);

    const second = await serve();
    // The JWT secret was kept in the data dir, so the token from before the restart still works.
    const auth = { authorization: `Bearer ${access}` };
    const classesAfter = (await (await fetch(`${second.url}/edu_admin/classes/`, { headers: auth })).json()) as { count: number; results: Array<{ webinars: Array<{ id: number; registration_ready: boolean }> }> };
    expect(classesAfter.count).toBe(2);
    // The demo webinars live in the built-in simulator, whose state was kept in the data dir too.
    const webinars = classesAfter.results.flatMap((c) => c.webinars);
    expect(webinars).toHaveLength(3);
    expect(webinars.every((w) => w.registration_ready)).toBe(true);
    const sync = await fetch(`${second.url}/edu_admin/webinars/${webinars[0]!.id}/sync/`, { method: 'POST', headers: auth });
    expect(sync.status).toBe(200);
    await second.stop();

    const seed = await cli(['seed-demo']);
    expect(seed.stdout).toContain('already there');
  });

  it('refuses to start on bad configuration, listing the problems', async () => {
    const run = await cli(['serve'], { env: { PORT: 'nope', LOG_LEVEL: 'chatty' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('PORT');
    expect(run.stderr).toContain('LOG_LEVEL');
  });
});
