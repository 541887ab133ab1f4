import { Type } from '@sinclair/typebox';
import type { ClassRow, WebinarRow } from '../db/schema.js';
import { presentPublicWebinar, presentWebinar } from '../webinars/presenter.js';
import { DateTime, MoneyOut, Nullable } from '../http/schemas.js';
import { formatMoney } from '../shared/money.js';

export const ClassSchema = Type.Object(
  {
    id: Type.Integer(),
    title: Type.String(),
    description: Type.String(),
    price: MoneyOut,
    currency: Type.String(),
    capacity: Nullable(Type.Integer()),
    is_active: Type.Boolean(),
    enrolled_count: Type.Integer(),
    seats_left: Nullable(Type.Integer()),
    webinars: Type.Array(Type.Ref('Webinar')),
    created_at: DateTime,
    updated_at: DateTime,
  },
  { $id: 'Class' },
);

export const CatalogClassSchema = Type.Object(
  {
    id: Type.Integer(),
    title: Type.String(),
    description: Type.String(),
    price: MoneyOut,
    currency: Type.String(),
    seats_left: Nullable(Type.Integer()),
    is_enrolled: Type.Boolean(),
    webinars: Type.Array(Type.Ref('PublicWebinar')),
  },
  { $id: 'CatalogClass' },
);

export interface ClassWithCounts {
  row: ClassRow;
  enrolledCount: number;
  webinars: WebinarRow[];
}

const seatsLeft = (c: ClassWithCounts) => (c.row.capacity === null ? null : Math.max(0, c.row.capacity - c.enrolledCount));

export const presentClass = (c: ClassWithCounts) => ({
  id: c.row.id,
  title: c.row.title,
  description: c.row.description,
  price: formatMoney(c.row.price),
  currency: c.row.currency,
  capacity: c.row.capacity,
  is_active: c.row.is_active,
  enrolled_count: c.enrolledCount,
  seats_left: seatsLeft(c),
  webinars: c.webinars.map(presentWebinar),
  created_at: c.row.created_at.toISOString(),
  updated_at: c.row.updated_at.toISOString(),
});

export const presentCatalogClass = (c: ClassWithCounts, isEnrolled: boolean) => ({
  id: c.row.id,
  title: c.row.title,
  description: c.row.description,
  price: formatMoney(c.row.price),
  currency: c.row.currency,
  seats_left: seatsLeft(c),
  is_enrolled: isEnrolled,
  webinars: c.webinars.map(presentPublicWebinar),
});
