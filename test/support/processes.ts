import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

/** `educonnect` run from source, as a separate process. */
const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
const TAIL_LINES = 200;
const KEPT_LINES = 50_000;

export interface CliProcess {
  name: string;
  pid: number;
  /** The last lines it printed (stdout and stderr), for failure messages. */
  tail(): string;
  /** Everything it printed so far (the most recent 50 000 lines). */
  lines(): string[];
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  running(): boolean;
  /** Sends the signal to this process (by its pid) and waits for it to exit. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null>;
}

/**
 * Starts `educonnect <args>` with exactly `env` (plus PATH) and resolves once a line of its output
 * matches `ready`; rejects — and kills it — if it exits or stays silent for `timeoutMs` first.
 */
export function startCli(name: string, args: string[], env: Record<string, string>, ready: RegExp, timeoutMs = 60_000): Promise<CliProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve((exitCode = code))));
  const proc: CliProcess = {
    name,
    pid: child.pid ?? -1,
    tail: () => [...lines.slice(-TAIL_LINES), partial].join('\n'),
    lines: () => [...lines],
    exited,
    running: () => exitCode === undefined,
    stop: async (signal) => {
      if (exitCode === undefined) child.kill(signal);
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    let isReady = false;
    const fail = (why: string) => {
      if (isReady) return;
      isReady = true;
      clearTimeout(timer);
      void proc.stop('SIGKILL');
      reject(new Error(`${name} ${why}:\n${proc.tail()}`));
    };
    const timer = setTimeout(() => fail(`was not ready within ${timeoutMs} ms`), timeoutMs);
    const onData = (data: Buffer) => {
      const text = partial + data.toString('utf8');
      const complete = text.split('\n');
      partial = complete.pop() ?? '';
      lines.push(...complete);
      if (lines.length > KEPT_LINES + 1000) lines.splice(0, lines.length - KEPT_LINES);
      if (!isReady && complete.some((line) => ready.test(line))) {
        isReady = true;
        clearTimeout(timer);
        resolve(proc);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => fail(`could not start: ${error.message}`));
    void exited.then((code) => fail(`exited early (${code})`));
  });
}

/** A TCP port that was free a moment ago (for a process that cannot report the one it picked). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
