-- Backups of tenant databases: one row per pg_dump, encrypted and uploaded to the object store.
-- Only a row in status SUCCEEDED names a finished, hashed, fully uploaded object; a RUNNING row left
-- by a process that died is marked FAILED at the next start (its multipart upload was never
-- completed, so the store holds no object under its key).
CREATE TABLE backup (
  id               uuid PRIMARY KEY,
  site_id          uuid NOT NULL REFERENCES site (id),
  institution_id   uuid NOT NULL REFERENCES institution (id),
  database_name    text NOT NULL,
  reason           text NOT NULL CHECK (reason IN ('ON_DEMAND', 'SCHEDULED', 'SAFETY')),
  status           text NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
  object_key       text NOT NULL UNIQUE,
  key_id           bigint NOT NULL,
  started_at       timestamptz NOT NULL,
  finished_at      timestamptz,
  size_bytes       bigint CHECK (size_bytes >= 0),
  sha256           text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  -- [{"name": "public.t", "rows": 12}, ...] counted in the snapshot pg_dump dumped
  tables           jsonb NOT NULL DEFAULT '[]'::jsonb,
  error            text,
  verified_at      timestamptz,
  verified_ok      boolean,
  verified_detail  text,
  restoring        boolean NOT NULL DEFAULT false,
  CHECK (status <> 'SUCCEEDED' OR (finished_at IS NOT NULL AND size_bytes IS NOT NULL AND sha256 IS NOT NULL))
);
CREATE INDEX backup_site_started ON backup (site_id, started_at DESC, id DESC);
CREATE INDEX backup_running ON backup (status) WHERE status = 'RUNNING';
