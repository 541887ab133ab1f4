/**
 * Notifications benchmark on PostgreSQL: the inbox list and unread count with 1,000,000
 * notifications over 10,000 students, and the latency from commit to a live SSE event.
 *
 *   npm run bench -- notifications
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres BENCH_NOTIFICATIONS=1000000 npm run bench -- notifications
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type pg from 'pg';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { openStream } from '../test/support/sse.js';
import { measure, printTable, type Row, withPgClient } from './measure.js';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 10_000);
const NOTIFICATIONS = Number(process.env.BENCH_NOTIFICATIONS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 200);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 300);

const admin = <T>(run: (client: pg.Client) => Promise<T>) => withPgClient(serverUrl, run);

export async function benchNotifications(): Promise<void> {
  const dbName = `educonnect_bench_n_${process.pid}`;
  await admin((c) => c.query(`CREATE DATABASE ${dbName}`));
  const dataDir = await mkdtemp(join(tmpdir(), 'educonnect-bench-'));
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  const config = loadConfig({ EDUCONNECT_DATA_DIR: dataDir, DATABASE_URL: url.toString(), JWT_SECRET: randomBytes(32).toString('hex'), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', EDUCONNECT_WORKERS: '0' });
  const server = await startServer(config);
  const { services, database } = server.runtime;
  const base = server.url;
  const rows: Row[] = [];
  try {
    const seedStart = performance.now();
    await sql`insert into users (username, email, first_name, role, password_hash)
              select 'bench' || g, 'bench' || g || '@example.org', 'Bench', 'student', 'x' from generate_series(1, ${STUDENTS}) g`.execute(database.db);
    const perStudent = Math.ceil(NOTIFICATIONS / STUDENTS);
    // Realistic shape: a user's notifications span weeks, two thirds already read.
    await sql`insert into notifications (user_id, type, title, message, data, dedupe_key, read_at, created_at)
              select u.id, 'announcement', 'Notice ' || i, 'Message number ' || i || ' for a student, long enough to need a preview cut at a word boundary somewhere.',
                     '{}'::jsonb, 'bench:' || u.id || ':' || i,
                     case when i % 3 = 0 then null else now() end, now() - (i || ' minutes')::interval
              from users u cross join generate_series(1, ${perStudent}) i where u.role = 'student'`.execute(database.db);
    await sql`analyze notifications`.execute(database.db);
    const total = Number((await sql<{ n: string }>`select count(*) as n from notifications`.execute(database.db)).rows[0]!.n);
    const seedSeconds = (performance.now() - seedStart) / 1000;

    const ids = (await database.db.selectFrom('users').select('id').where('role', '=', 'student').execute()).map((r) => r.id);
    const tokens = await Promise.all(ids.slice(0, 500).map((id) => services.tokens.issue(id, 'student', 'access')));
    const auth = (i: number) => ({ authorization: `Bearer ${tokens[i % tokens.length]}` });
    const getJson = async (path: string, i: number) => {
      const res = await fetch(`${base}${path}`, { headers: auth(i) });
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      return res.json() as Promise<{ next_cursor: string | null }>;
    };

    // Warm the pool, the planner and the JIT before anything is timed.
    await measure(300, CONCURRENCY, (i) => getJson('/students/notifications/', i).then(() => undefined));
    rows.push({ step: 'GET /students/notifications/ (first page, 20)', n: REQUESTS, ...(await measure(REQUESTS, CONCURRENCY, (i) => getJson('/students/notifications/', i).then(() => undefined))) });
    const cursors = await Promise.all(tokens.slice(0, 50).map((_, i) => getJson('/students/notifications/?limit=50', i).then((b) => b.next_cursor)));
    rows.push({ step: 'GET /students/notifications/?cursor= (page 2, 50)', n: REQUESTS, ...(await measure(REQUESTS, CONCURRENCY, (i) => getJson(`/students/notifications/?limit=50&cursor=${cursors[i % 50]}`, i % 50).then(() => undefined))) });
    rows.push({ step: 'GET /students/notifications/?unread=true', n: REQUESTS, ...(await measure(REQUESTS, CONCURRENCY, (i) => getJson('/students/notifications/?unread=true', i).then(() => undefined))) });
    rows.push({ step: 'GET /students/notifications/unread-count/', n: REQUESTS, ...(await measure(REQUESTS, CONCURRENCY, (i) => getJson('/students/notifications/unread-count/', i).then(() => undefined))) });

    // Live delivery: time from the notifying transaction's commit to the event in an open tab.
    const streams = await Promise.all(tokens.slice(0, STREAMS).map((t) => openStream(`${base}/students/notifications/stream/`, { authorization: `Bearer ${t}` })));
    await Promise.all(streams.map((s) => s.next('unread_count')));
    const latencies: number[] = [];
    for (let k = 0; k < EVENTS; k++) {
      const i = k % STREAMS;
      const stream = streams[i]!;
      const before = stream.events.filter((e) => e.event === 'notification').length;
      await database.db.transaction().execute((trx) =>
        services.notifier.notify(trx, { userId: ids[i]!, type: 'announcement', title: 'Live', message: 'Live bench', data: { broadcast_id: 0, class_id: null }, dedupeKey: `live:${k}` }),
      );
      const committed = performance.now();
      await stream.next('notification', before + 1, 5000);
      const index = stream.events.findLastIndex((e) => e.event === 'notification');
      latencies.push(stream.arrivals[index]! - committed);
    }
    for (const s of streams) s.close();
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;

    console.log(`\nEduConnect notifications bench — PostgreSQL, ${total.toLocaleString('en')} notifications over ${STUDENTS.toLocaleString('en')} students (seeded in ${seedSeconds.toFixed(1)} s), concurrency ${CONCURRENCY}`);
    printTable(rows);
    console.log(`\nSSE delivery, commit → event in an open tab (${STREAMS} open streams, ${EVENTS} events): p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`);
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
  }
}
