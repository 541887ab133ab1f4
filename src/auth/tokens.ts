import { randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Role } from '../db/schema.js';

export type TokenType = 'access' | 'refresh';

export interface TokenClaims {
  userId: number;
  role: Role;
  type: TokenType;
}

export class TokenError extends Error {
  constructor(readonly reason: 'expired' | 'invalid' | 'wrong_type') {
    super(reason === 'expired' ? 'Token has expired' : reason === 'wrong_type' ? 'Token has the wrong type' : 'Token is invalid');
  }
}

const ALGORITHM = 'HS256';
const ISSUER = 'educonnect';

export interface TokenService {
  issue(userId: number, role: Role, type: TokenType): Promise<string>;
  verify(token: string, type: TokenType): Promise<TokenClaims>;
  accessTtlSeconds: number;
}

/**
 * SimpleJWT-style tokens: a short-lived access token and a longer refresh token, both HS256 with a
 * `token_type` claim so one can never stand in for the other. Only HS256 is accepted, which also
 * rules out `alg: none`.
 */
export function createTokenService(options: { secret: string; accessTtlSeconds: number; refreshTtlSeconds: number }): TokenService {
  const key = new TextEncoder().encode(options.secret);
  const ttl = (type: TokenType) => (type === 'access' ? options.accessTtlSeconds : options.refreshTtlSeconds);

  return {
    accessTtlSeconds: options.accessTtlSeconds,
    async issue(userId, role, type) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ token_type: type, role })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(String(userId))
        .setIssuer(ISSUER)
        .setIssuedAt(now)
        .setExpirationTime(now + ttl(type))
        .setJti(randomUUID())
        .sign(key);
    },
    async verify(token, type) {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: [ALGORITHM], issuer: ISSUER, requiredClaims: ['exp', 'sub'] });
        if (payload.token_type !== type) throw new TokenError('wrong_type');
        const userId = Number(payload.sub);
        if (!Number.isInteger(userId) || (payload.role !== 'student' && payload.role !== 'admin')) throw new TokenError('invalid');
        return { userId, role: payload.role, type };
      } catch (error) {
        if (error instanceof TokenError) throw error;
        if (error instanceof joseErrors.JWTExpired) throw new TokenError('expired');
        throw new TokenError('invalid');
      }
    },
  };
}
