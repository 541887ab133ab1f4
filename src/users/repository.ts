import { sql } from 'kysely';
import type { Queryable } from '../db/database.js';
import type { NewUser, Role, User } from '../db/schema.js';

export const findUserById = (db: Queryable, id: number): Promise<User | undefined> =>
  db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

/** Login accepts the username or, when it looks like one, the email; both case-insensitively. */
export function findUserByLogin(db: Queryable, login: string): Promise<User | undefined> {
  const column = login.includes('@') ? 'email' : 'username';
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql`lower(${sql.ref(column)})`, '=', login.toLowerCase())
    .executeTakeFirst();
}

export const insertUser = (db: Queryable, user: NewUser): Promise<User> =>
  db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();

export interface UserSearch {
  role: Role;
  q?: string;
  limit: number;
  offset: number;
}

/** Substring search over username, email and names; returns one page and the total. */
export async function searchUsers(db: Queryable, search: UserSearch): Promise<{ rows: User[]; count: number }> {
  let query = db.selectFrom('users').where('role', '=', search.role);
  if (search.q) {
    const pattern = `%${search.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('username', 'ilike', pattern),
        eb('email', 'ilike', pattern),
        eb('first_name', 'ilike', pattern),
        eb('last_name', 'ilike', pattern),
        eb(sql<string>`first_name || ' ' || last_name`, 'ilike', pattern),
      ]),
    );
  }
  const [rows, total] = await Promise.all([
    query.selectAll().orderBy('id').limit(search.limit).offset(search.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
  ]);
  return { rows, count: Number(total.count) };
}
