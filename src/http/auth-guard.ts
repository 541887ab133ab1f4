import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Role } from '../db/schema.js';
import type { Db } from '../db/database.js';
import { TokenError, type TokenService } from '../auth/tokens.js';
import { AppError } from './errors.js';

export interface AuthUser {
  id: number;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  role: Role;
}

declare module 'fastify' {
  interface FastifyRequest {
    authUser: AuthUser | null;
  }
}

/** The signed-in user of a request that passed `requireAuth`; anything else is a programming error. */
export function currentUser(request: FastifyRequest): AuthUser {
  if (!request.authUser) throw new Error('currentUser() on a route without requireAuth');
  return request.authUser;
}

function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header) throw new AppError('not_authenticated', 'Authentication credentials were not provided', undefined, { 'www-authenticate': 'Bearer' });
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new AppError('token_invalid', 'The Authorization header must be "Bearer <access token>"', undefined, { 'www-authenticate': 'Bearer' });
  return match[1];
}

/**
 * An onRequest hook: verifies the access token, then loads the user so that a deactivated account
 * or a changed role takes effect at once rather than when the token expires.
 */
export function requireAuth(deps: { db: Db; tokens: TokenService }, role?: Role): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const token = bearerToken(request);
    let claims;
    try {
      claims = await deps.tokens.verify(token, 'access');
    } catch (error) {
      if (error instanceof TokenError) {
        throw new AppError('token_invalid', `${error.message}; sign in again or refresh it`, undefined, {
          'www-authenticate': 'Bearer error="invalid_token"',
        });
      }
      throw error;
    }
    const user = await deps.db
      .selectFrom('users')
      .select(['id', 'username', 'email', 'first_name', 'last_name', 'role', 'is_active'])
      .where('id', '=', claims.userId)
      .executeTakeFirst();
    if (!user || !user.is_active) throw new AppError('token_invalid', 'This account no longer exists or is disabled');
    if (role && user.role !== role) {
      throw new AppError('forbidden', role === 'admin' ? 'This action needs an admin account' : `This endpoint is for ${role}s`);
    }
    request.authUser = { id: user.id, username: user.username, email: user.email, first_name: user.first_name, last_name: user.last_name, role: user.role };
  };
}
