/**
 * Foundation benchmark: receipt upload, verify, sign-in and the enrollments view, measured over
 * real HTTP against a server started in this process on a fresh database.
 *
 *   npm run bench -- foundation            # embedded PGlite
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench
 *   BENCH_N=500 BENCH_CONCURRENCY=16 npm run bench
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { measure, printTable, type Row } from './measure.js';

const N = Number(process.env.BENCH_N ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const serverUrl = process.env.BENCH_DATABASE_URL;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

async function expectOk(res: Response, what: string) {
  if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

export async function benchFoundation(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'educonnect-bench-'));
  let dbName: string | undefined;
  if (serverUrl) {
    dbName = `educonnect_bench_${process.pid}`;
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`CREATE DATABASE ${dbName}`);
    await client.end();
  }
  const databaseUrl = serverUrl && dbName ? Object.assign(new URL(serverUrl), { pathname: `/${dbName}` }).toString() : undefined;
  const config = loadConfig({
    EDUCONNECT_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const server = await startServer(config);
  const url = server.url;
  const rows: Row[] = [];
  try {
    const { services } = server.runtime;
    await services.auth.createAccount({ username: 'bench-admin', email: 'admin@bench.test', password: 'bench admin pw', first_name: 'Bench', role: 'admin' });
    const login = (username: string, password: string) =>
      fetch(`${url}/auth/token/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    const admin = { authorization: `Bearer ${(await expectOk(await login('bench-admin', 'bench admin pw'), 'admin login')).access}` };

    const classIds: number[] = [];
    for (const title of ['Bench A', 'Bench B']) {
      const res = await fetch(`${url}/edu_admin/classes/`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify({ title, price: '10.00', currency: 'USD' }),
      });
      classIds.push((await expectOk(res, 'create class')).id as number);
    }

    const students: Array<{ auth: Record<string, string> }> = [];
    for (let i = 0; i < N; i++) {
      const user = await services.auth.createAccount({ username: `student${i}`, email: `s${i}@bench.test`, password: 'student pw 123', first_name: 'S' });
      students.push({ auth: { authorization: `Bearer ${await services.tokens.issue(user.id, 'student', 'access')}` } });
    }

    const paymentIds: number[] = [];
    const upload = await measure(N, CONCURRENCY, async (i) => {
      const form = new FormData();
      for (const id of classIds) form.append('class_ids', String(id));
      form.append('amount', '20.00');
      form.append('currency', 'USD');
      form.append('reference', `B-${i}`);
      form.append('file', new Blob([PNG], { type: 'image/png' }), 'r.png');
      const res = await fetch(`${url}/students/receipt-payments/`, { method: 'POST', headers: students[i]!.auth, body: form });
      paymentIds[i] = (await expectOk(res, 'upload')).id as number;
    });
    rows.push({ step: 'upload receipt (2 classes)', n: N, ...upload });

    const verify = await measure(N, CONCURRENCY, async (i) => {
      await expectOk(await fetch(`${url}/edu_admin/receipt-payments/${paymentIds[i]}/verify/`, { method: 'POST', headers: admin }), 'verify');
    });
    rows.push({ step: 'verify (enrolls 2)', n: N, ...verify });

    const storm = await measure(N, CONCURRENCY * 4, async (i) => {
      await expectOk(await fetch(`${url}/edu_admin/receipt-payments/${paymentIds[i % 10]}/verify/`, { method: 'POST', headers: admin }), 'verify again');
    });
    rows.push({ step: `re-verify storm (10 payments, ${CONCURRENCY * 4} in flight)`, n: N, ...storm });

    const view = await measure(N, CONCURRENCY, async (i) => {
      await expectOk(await fetch(`${url}/students/enrollments/`, { headers: students[i]!.auth }), 'enrollments');
    });
    rows.push({ step: 'GET /students/enrollments/', n: N, ...view });

    const logins = Math.min(N, 50);
    const signIn = await measure(logins, CONCURRENCY, async (i) => {
      await expectOk(await login(`student${i}`, 'student pw 123'), 'login');
    });
    rows.push({ step: 'sign in (argon2id verify)', n: logins, ...signIn });

    const enrollments = await server.runtime.database.db.selectFrom('enrollments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(enrollments.n) !== N * classIds.length) throw new Error(`expected ${N * classIds.length} enrollments, found ${enrollments.n}`);
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
    if (serverUrl && dbName) {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await client.end();
    }
  }

  const engine = databaseUrl ? 'PostgreSQL' : 'PGlite (embedded)';
  console.log(`\nEduConnect foundation bench — ${engine}, concurrency ${CONCURRENCY}\n`);
  printTable(rows);
}
