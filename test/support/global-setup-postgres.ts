import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { databaseUrl, requireTestDatabaseUrl } from './postgres.js';

/** Migrates a template database once; each test file creates its own database from it. */
export default async function setup(project: TestProject) {
  const serverUrl = requireTestDatabaseUrl();
  const template = `educonnect_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  const database = openPostgres(databaseUrl(serverUrl, template), 2);
  await migrateToLatest(database);
  await database.close();
  project.provide('postgresTemplate', template);
  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.end();
  };
}
