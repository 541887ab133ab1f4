import { Type } from '@sinclair/typebox';
import type { User } from '../db/schema.js';
import { DateTime } from '../http/schemas.js';

export const UserSchema = Type.Object(
  {
    id: Type.Integer(),
    username: Type.String(),
    email: Type.String(),
    first_name: Type.String(),
    last_name: Type.String(),
    role: Type.Union([Type.Literal('student'), Type.Literal('admin')]),
    is_active: Type.Boolean(),
    created_at: DateTime,
  },
  { $id: 'User' },
);

/** The public view of a user: never the password hash. */
export const presentUser = (user: User) => ({
  id: user.id,
  username: user.username,
  email: user.email,
  first_name: user.first_name,
  last_name: user.last_name,
  role: user.role,
  is_active: user.is_active,
  created_at: user.created_at.toISOString(),
});
