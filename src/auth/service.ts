import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import type { Role, User } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import { findUserById, findUserByLogin, insertUser } from '../users/repository.js';
import { dummyHash, hashPassword, verifyPassword } from './passwords.js';
import { TokenError, type TokenService } from './tokens.js';

export interface NewAccount {
  username: string;
  email: string;
  password: string;
  first_name: string;
  last_name?: string;
  role?: Role;
}

export interface AuthServiceDeps {
  db: Db;
  tokens: TokenService;
}

export type AuthService = ReturnType<typeof createAuthService>;

export function createAuthService({ db, tokens }: AuthServiceDeps) {
  async function createAccount(account: NewAccount): Promise<User> {
    const username = account.username.trim();
    const email = account.email.trim();
    if (account.password.toLowerCase() === username.toLowerCase()) {
      throw new AppError('validation_failed', 'The password must not be the username', [
        { field: 'body.password', message: 'must not be the same as the username' },
      ]);
    }
    const password_hash = await hashPassword(account.password);
    try {
      return await insertUser(db, {
        username,
        email,
        first_name: account.first_name.trim(),
        last_name: (account.last_name ?? '').trim(),
        role: account.role ?? 'student',
        password_hash,
      });
    } catch (error) {
      // The unique indexes decide, so two sign-ups racing for one name cannot both win.
      if (isUniqueViolation(error, 'users_username_ci_key')) {
        throw new AppError('username_taken', 'A user with that username already exists', [{ field: 'body.username', message: 'is already taken' }]);
      }
      if (isUniqueViolation(error, 'users_email_ci_key')) {
        throw new AppError('email_taken', 'A user with that email already exists', [{ field: 'body.email', message: 'is already registered' }]);
      }
      throw error;
    }
  }

  async function login(loginName: string, password: string) {
    const user = await findUserByLogin(db, loginName.trim());
    const ok = await verifyPassword(user?.password_hash ?? (await dummyHash()), password);
    if (!user || !ok || !user.is_active) {
      throw new AppError('invalid_credentials', 'No active account found with the given credentials');
    }
    const [access, refresh] = await Promise.all([tokens.issue(user.id, user.role, 'access'), tokens.issue(user.id, user.role, 'refresh')]);
    return { access, refresh, user };
  }

  async function refresh(refreshToken: string) {
    let claims;
    try {
      claims = await tokens.verify(refreshToken, 'refresh');
    } catch (error) {
      if (error instanceof TokenError) throw new AppError('token_invalid', `Refresh token rejected: ${error.message}`);
      throw error;
    }
    const user = await findUserById(db, claims.userId);
    if (!user || !user.is_active) throw new AppError('token_invalid', 'This account no longer exists or is disabled');
    // The role comes from the database, not the old token.
    return { access: await tokens.issue(user.id, user.role, 'access') };
  }

  async function me(userId: number): Promise<User> {
    const user = await findUserById(db, userId);
    if (!user) throw new AppError('token_invalid', 'This account no longer exists');
    return user;
  }

  return { createAccount, login, refresh, me };
}
