-- EduConnect initial schema. Forward-only: never edit a released migration, add a new one.

CREATE TABLE users (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username      text NOT NULL CHECK (length(username) BETWEEN 3 AND 150),
  email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  first_name    text NOT NULL DEFAULT '',
  last_name     text NOT NULL DEFAULT '',
  role          text NOT NULL CHECK (role IN ('student', 'admin')),
  password_hash text NOT NULL,
  is_active     boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
-- Case-insensitive uniqueness: "Alice@x.org" and "alice@x.org" are one person.
CREATE UNIQUE INDEX users_username_ci_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_ci_key ON users (lower(email));
CREATE INDEX users_role_idx ON users (role, id);

CREATE TABLE classes (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '',
  price       numeric(12, 2) NOT NULL CHECK (price >= 0),
  currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  capacity    integer CHECK (capacity > 0),
  is_active   boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A class may run several Zoom webinars. Zoom ids are 64-bit, so they are kept as text.
CREATE TABLE webinars (
  id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  class_id         integer NOT NULL REFERENCES classes (id) ON DELETE RESTRICT,
  zoom_webinar_id  text NOT NULL UNIQUE CHECK (zoom_webinar_id ~ '^[0-9]{1,20}$'),
  topic            text NOT NULL,
  start_time       timestamptz,
  duration_minutes integer CHECK (duration_minutes > 0),
  timezone         text,
  webinar_type     integer,
  approval_type    integer CHECK (approval_type IN (0, 1, 2)),
  occurrences      jsonb NOT NULL DEFAULT '[]',
  -- Zoom's registration questions as last fetched, and the admin's answer mapping (Zoom issue).
  questions        jsonb,
  answer_mapping   jsonb NOT NULL DEFAULT '{}',
  synced_at        timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webinars_class_idx ON webinars (class_id);

CREATE TABLE receipt_payments (
  id                    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  student_id            integer NOT NULL REFERENCES users (id),
  amount                numeric(12, 2) NOT NULL CHECK (amount > 0),
  currency              text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  reference             text NOT NULL,
  receipt_path          text NOT NULL,
  receipt_content_type  text NOT NULL,
  receipt_size          integer NOT NULL CHECK (receipt_size > 0),
  receipt_sha256        text NOT NULL CHECK (receipt_sha256 ~ '^[0-9a-f]{64}$'),
  receipt_original_name text,
  status                text NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'verified', 'rejected', 'refunded')),
  reviewed_by           integer REFERENCES users (id),
  reviewed_at           timestamptz,
  rejection_reason      text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'rejected' OR rejection_reason IS NOT NULL)
);
CREATE INDEX receipt_payments_status_idx ON receipt_payments (status, id);
CREATE INDEX receipt_payments_student_idx ON receipt_payments (student_id, id);

-- One row per class paid for; the price is snapshotted so later price edits do not rewrite history.
CREATE TABLE receipt_payment_classes (
  payment_id integer NOT NULL REFERENCES receipt_payments (id) ON DELETE CASCADE,
  class_id   integer NOT NULL REFERENCES classes (id),
  price      numeric(12, 2) NOT NULL,
  currency   text NOT NULL,
  PRIMARY KEY (payment_id, class_id)
);
CREATE INDEX receipt_payment_classes_class_idx ON receipt_payment_classes (class_id);

CREATE TABLE enrollments (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  student_id    integer NOT NULL REFERENCES users (id),
  class_id      integer NOT NULL REFERENCES classes (id),
  payment_id    integer NOT NULL REFERENCES receipt_payments (id),
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  revoked_at    timestamptz,
  revoke_reason text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
-- The rule "enrolled once per class" lives in the database, not in application code.
CREATE UNIQUE INDEX enrollments_one_active_key ON enrollments (student_id, class_id) WHERE status = 'active';
CREATE INDEX enrollments_class_idx ON enrollments (class_id, status);
CREATE INDEX enrollments_payment_idx ON enrollments (payment_id);

CREATE TABLE zoom_webinar_registrations (
  id                 integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  student_id         integer NOT NULL REFERENCES users (id),
  webinar_id         integer NOT NULL REFERENCES webinars (id),
  enrollment_id      integer REFERENCES enrollments (id),
  zoom_registrant_id text,
  email              text NOT NULL,
  status             text NOT NULL DEFAULT 'queued'
                       CHECK (status IN ('queued', 'pending', 'approved', 'denied', 'cancelled', 'failed')),
  join_url           text,
  attempts           integer NOT NULL DEFAULT 0,
  last_error         text,
  approved_at        timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (student_id, webinar_id)
);
CREATE INDEX zoom_webinar_registrations_webinar_idx ON zoom_webinar_registrations (webinar_id, status);

CREATE TABLE notifications (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    integer NOT NULL REFERENCES users (id),
  type       text NOT NULL,
  title      text NOT NULL,
  message    text NOT NULL,
  data       jsonb NOT NULL DEFAULT '{}',
  -- Derived from the domain event (e.g. enrollment:42:confirmed): one event, one notification.
  dedupe_key text NOT NULL UNIQUE,
  read_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_user_list_idx ON notifications (user_id, id DESC);
CREATE INDEX notifications_user_unread_idx ON notifications (user_id, id DESC) WHERE read_at IS NULL;

CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor_id    integer REFERENCES users (id),
  action      text NOT NULL,
  entity_type text NOT NULL,
  entity_id   text NOT NULL,
  details     jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id);

-- Small key/value facts about this installation (e.g. that demo content was seeded).
CREATE TABLE app_settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
