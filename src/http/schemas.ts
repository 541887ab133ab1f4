import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Shared pieces of request/response schemas. Route files compose these. */

export const ErrorSchema = Type.Object(
  {
    code: Type.String({ description: 'Stable machine-readable error code' }),
    message: Type.String(),
    details: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    request_id: Type.String(),
  },
  { $id: 'Error', description: 'Every 4xx/5xx response has this shape' },
);

/** Standard error responses for a route: list the statuses it can answer with. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((s) => [s, Type.Ref('Error')]));
}

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
export type IdParams = Static<typeof IdParams>;

/** A decimal amount with at most two places, as a string in responses ("49.00"). */
export const MoneyOut = Type.String({ pattern: '^\\d+\\.\\d{2}$', examples: ['49.00'] });
/** Accepted as a JSON number or a decimal string. */
export const MoneyIn = Type.Union([
  Type.String({ pattern: '^\\s*\\d{1,10}(\\.\\d{1,2})?\\s*$' }),
  Type.Number({ minimum: 0, maximum: 9_999_999_999 }),
]);
export const Currency = Type.String({ pattern: '^[A-Za-z]{3}$', description: 'ISO 4217 code', examples: ['USD'] });

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
};

/** DRF-style page: { count, next, previous, results }. */
export function Page<T extends TSchema>(item: T) {
  return Type.Object({
    count: Type.Integer(),
    next: Type.Union([Type.String(), Type.Null()]),
    previous: Type.Union([Type.String(), Type.Null()]),
    results: Type.Array(item),
  });
}

export const DateTime = Type.String({ format: 'date-time' });
export const NullableDateTime = Type.Union([DateTime, Type.Null()]);

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
