import pg from 'pg';

export interface Row {
  step: string;
  n: number;
  p50: number;
  p99: number;
  perSecond: number;
}

/** Runs `task(i)` for i < n with at most `concurrency` in flight; per-call latency percentiles (ms) and throughput. */
export async function measure(n: number, concurrency: number, task: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await task(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { p50: at(0.5), p99: at(0.99), perSecond: n / seconds };
}

export function printTable(rows: Row[]): void {
  console.log(`${'step'.padEnd(52)} ${'n'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'req/s'.padStart(8)}`);
  for (const r of rows) {
    console.log(`${r.step.padEnd(52)} ${String(r.n).padStart(6)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${r.perSecond.toFixed(0).padStart(8)}`);
  }
}

/** Runs `run` with one short-lived client on the PostgreSQL server (creating and dropping bench databases). */
export async function withPgClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
