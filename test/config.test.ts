import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'educonnect-config-'));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('config', () => {
  it('has working defaults with no environment at all', async () => {
    const dir = await tempDir();
    const config = loadConfig({ EDUCONNECT_DATA_DIR: dir });
    expect(config).toMatchObject({ port: 8000, host: '0.0.0.0', databaseUrl: undefined, publicUrl: 'http://localhost:8000', logLevel: 'info', jwtSecretSource: 'data-dir' });
  });

  it('generates a JWT secret once, keeps it in the data dir, and reuses it', async () => {
    const dir = await tempDir();
    const first = loadConfig({ EDUCONNECT_DATA_DIR: dir });
    const second = loadConfig({ EDUCONNECT_DATA_DIR: dir });
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect((await readFile(join(dir, 'jwt-secret'), 'utf8')).trim()).toBe(first.jwtSecret);
    expect((await stat(join(dir, 'jwt-secret'))).mode & 0o077).toBe(0);
    const other = loadConfig({ EDUCONNECT_DATA_DIR: await tempDir() });
    expect(other.jwtSecret).not.toBe(first.jwtSecret);
  });

  it('requires JWT_SECRET with DATABASE_URL', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://localhost/x' })).toEqual([expect.stringContaining('JWT_SECRET is required')]);
  });

  it('lists every bad value at once, without echoing a database URL', () => {
    const problems = problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://u:s3cret@h/db', JWT_SECRET: 'short', PUBLIC_URL: 'ftp://x', EDUCONNECT_DEMO: 'maybe' });
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL/);
    expect(problems.join('\n')).toMatch(/EDUCONNECT_DEMO/);
    expect(problems.join('\n')).not.toContain('s3cret');
  });
});
