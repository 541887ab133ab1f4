import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTokenService } from '../src/auth/tokens.js';
import { openPostgres, type Database } from '../src/db/database.js';
import type { Role } from '../src/db/schema.js';
import type { ZoomRegistrant } from '../src/zoom/types.js';
import { files } from './support/factories.js';
import { expectApprovedExactlyOnce, PIPELINE_FAULTS, statusCounts, unscheduleReconciliation, waitForAllApproved } from './support/pipeline-outcome.js';
import { databaseUrl, requireTestDatabaseUrl, withAdminClient } from './support/postgres.js';
import { freePort, startCli, type CliProcess } from './support/processes.js';
import { waitFor } from './support/wait.js';
import { startRecordingProxy } from './support/zoom-proxy.js';

/**
 * The pipeline as an operator runs it on PostgreSQL: the Zoom simulator as its own process, an API
 * process without job workers, and `educonnect worker` processes — one killed with SIGKILL mid-run
 * and replaced, then two side by side. Zoom fails about 20% of calls and allows fewer requests per
 * second than each process's limiter sends. PostgreSQL only (two processes cannot share an
 * embedded database): vitest.config.ts runs this file in the postgres project alone.
 */
const STUDENTS = 60;
const secret = { jwt: randomBytes(32).toString('hex'), client: randomBytes(12).toString('hex'), webhook: randomBytes(12).toString('hex') };
const tokens = createTokenService({ secret: secret.jwt, accessTtlSeconds: 3600, refreshTtlSeconds: 3600 });
const processes: CliProcess[] = [];
let dbName: string | undefined;
let database: Database | undefined;
let dataDir: string | undefined;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>> | undefined;
let env: Record<string, string>;
let simUrl: string;
let apiUrl: string;
let adminToken: string;

const db = () => database!.db;

beforeAll(async () => {
  dbName = `educonnect_procs_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((c) => c.query(`CREATE DATABASE ${dbName} TEMPLATE ${inject('postgresTemplate')}`));
  const url = databaseUrl(requireTestDatabaseUrl(), dbName);
  database = openPostgres(url, 4);
  dataDir = await mkdtemp(join(tmpdir(), 'educonnect-procs-'));
  const [simPort, apiPort] = [await freePort(), await freePort()];
  simUrl = `http://127.0.0.1:${simPort}`;
  apiUrl = `http://127.0.0.1:${apiPort}`;
  const simArgs = ['--port', String(simPort), '--client-secret', secret.client, '--webhook-secret', secret.webhook, '--plan', 'pro', '--rate-scale', '0.3', '--webhook-url', `${apiUrl}/zoom/webhook/`];
  processes.push(await startCli('zoom-simulator', ['zoom-simulator', ...simArgs], {}, /Zoom simulator listening/));
  // Between EduConnect and Zoom: records which email each add request was for.
  proxy = await startRecordingProxy(simUrl);
  env = {
    DATABASE_URL: url,
    JWT_SECRET: secret.jwt,
    EDUCONNECT_DATA_DIR: dataDir,
    EDUCONNECT_DEMO: '0',
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    ZOOM_ACCOUNT_ID: 'sim-account',
    ZOOM_CLIENT_ID: 'sim-client',
    ZOOM_CLIENT_SECRET: secret.client,
    ZOOM_WEBHOOK_SECRET_TOKEN: secret.webhook,
    ZOOM_API_BASE_URL: `${proxy.url}/v2`,
    ZOOM_OAUTH_TOKEN_URL: `${simUrl}/oauth/token`,
    ZOOM_TIMEOUT_MS: '2000',
  };
  processes.push(await startCli('api', ['serve'], { ...env, PORT: String(apiPort), HOST: '127.0.0.1', EDUCONNECT_WORKERS: '0', LOG_LEVEL: 'warn' }, /running at/));
  const [admin] = await insertUsers('admin', 1);
  adminToken = await tokens.issue(admin!.id, 'admin', 'access');
}, 120_000);

afterAll(async () => {
  for (const p of processes.reverse()) await p.stop('SIGKILL');
  await proxy?.close();
  await database?.close();
  if (dbName) await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A worker process; the periodic reconciliation it schedules is taken off, so the jobs alone are tested. */
async function startWorker(name: string): Promise<CliProcess> {
  const worker = await startCli(name, ['worker'], { ...env, LOG_LEVEL: 'info' }, /"msg":"worker started"/);
  processes.push(worker);
  await unscheduleReconciliation(db());
  return worker;
}

async function call<T>(method: string, url: string, options: { token?: string; json?: unknown; form?: FormData } = {}): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: options.form ?? (options.json !== undefined ? JSON.stringify(options.json) : undefined),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Users straight into the database (no argon2 per user): they use tokens, never a password. */
async function insertUsers(role: Role, count: number) {
  const rows = Array.from({ length: count }, (_, i) => {
    const username = `${role}_${randomBytes(4).toString('hex')}_${i}`;
    return { username, email: `${username}@example.test`, first_name: 'Proc', last_name: role, role, password_hash: 'no-password-sign-in' };
  });
  return db().insertInto('users').values(rows).returning(['id', 'email']).execute();
}

/** A class with a manual-approval webinar (the seed's questions) and `count` students who paid for it. */
async function paidStudents(count: number) {
  const cls = await call<{ id: number }>('POST', `${apiUrl}/edu_admin/classes/`, { token: adminToken, json: { title: `Processes ${randomBytes(3).toString('hex')}`, description: 'x', price: '10', currency: 'USD' } });
  const zoomWebinar = await call<{ id: number }>('POST', `${simUrl}/_sim/webinars`, {
    json: {
      topic: 'Many processes',
      approval_type: 1,
      start_time: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      questions: {
        questions: [{ field_name: 'last_name', required: true }],
        custom_questions: [
          { title: 'Serial number', type: 'short', required: true },
          { title: 'Secret number', type: 'short', required: true },
        ],
      },
    },
  });
  const zoomWebinarId = String(zoomWebinar.id);
  const webinar = await call<{ id: number }>('POST', `${apiUrl}/edu_admin/classes/${cls.id}/webinars/`, { token: adminToken, json: { zoom_webinar_id: zoomWebinarId } });
  const students = await insertUsers('student', count);
  const payments: number[] = [];
  for (const s of students) {
    const form = new FormData();
    form.append('class_ids', String(cls.id));
    form.append('amount', '10');
    form.append('currency', 'USD');
    form.append('reference', `TX-${s.id}`);
    form.append('file', new Blob([files.png], { type: 'image/png' }), 'receipt.png');
    payments.push((await call<{ id: number }>('POST', `${apiUrl}/students/receipt-payments/`, { token: await tokens.issue(s.id, 'student', 'access'), form })).id);
  }
  return { webinarId: webinar.id, zoomWebinarId, students, payments };
}

const verifyAll = (payments: number[]) => Promise.all(payments.map((id) => call('POST', `${apiUrl}/edu_admin/receipt-payments/${id}/verify/`, { token: adminToken })));

async function withFaults(run: () => Promise<void>) {
  for (const fault of PIPELINE_FAULTS) await call('POST', `${simUrl}/_sim/faults`, { json: fault });
  try {
    await run();
  } finally {
    await call('DELETE', `${simUrl}/_sim/faults`);
  }
}

const registrantsInZoom = async (zoomWebinarId: string) => (await call<{ registrants: ZoomRegistrant[] }>('GET', `${simUrl}/_sim/webinars/${zoomWebinarId}/registrants`)).registrants;

describe('worker processes on PostgreSQL', () => {
  it('a worker killed with SIGKILL mid-run and replaced: every student still approved, registered and told exactly once', async () => {
    const run = await paidStudents(STUDENTS);
    const first = await startWorker('worker-1');
    let atKill: Record<string, number> = {};
    await withFaults(async () => {
      await verifyAll(run.payments);
      await waitFor(async () => ((await statusCounts(db(), run.webinarId)).approved ?? 0) > 0, { timeoutMs: 60_000, intervalMs: 50, what: 'a first approval' });
      await first.stop('SIGKILL');
      atKill = await statusCounts(db(), run.webinarId);
      await startWorker('worker-2');
      // The dead worker's jobs come back once their heartbeat is stale (30 s + a 15 s check), then
      // retries with backoff.
      await waitForAllApproved(db(), run.webinarId, STUDENTS, 180_000);
    });
    // Killed mid-run: some students were approved, others still on their way.
    expect(atKill.approved).toBeGreaterThan(0);
    expect(atKill.approved).toBeLessThan(STUDENTS);
    await expectApprovedExactlyOnce({ db: db(), webinarId: run.webinarId, zoomWebinarId: run.zoomWebinarId, students: run.students, registrants: await registrantsInZoom(run.zoomWebinarId), addPosts: proxy!.posts, workerKilled: true });
  }, 300_000);

  it('two worker processes side by side: every student approved, registered and told exactly once', async () => {
    for (const p of processes.filter((p) => p.name.startsWith('worker'))) await p.stop('SIGTERM');
    const run = await paidStudents(STUDENTS);
    const workers = await Promise.all([startWorker('worker-a'), startWorker('worker-b')]);
    await withFaults(async () => {
      await verifyAll(run.payments);
      await waitForAllApproved(db(), run.webinarId, STUDENTS, 150_000);
    });
    await expectApprovedExactlyOnce({ db: db(), webinarId: run.webinarId, zoomWebinarId: run.zoomWebinarId, students: run.students, registrants: await registrantsInZoom(run.zoomWebinarId), addPosts: proxy!.posts });
    // Both took part: each ran registration jobs (approved someone, or met Zoom's faults and left the job to a retry).
    for (const w of workers) expect(w.lines().filter((line) => /registration approved|"queue":"registration\.(register|approve)"/.test(line)).length, w.name).toBeGreaterThan(0);
  }, 240_000);
});
