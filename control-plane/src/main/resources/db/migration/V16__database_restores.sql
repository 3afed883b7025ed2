-- Restores of a site's backups, in place or into a new database beside the live one. A row is
-- RUNNING while the restore works; the site's DatabaseReady condition words the newest row. A NEW
-- restore's database and role are named here; its credentials exist only in the Secret
-- db-<site>-restored-<n> the reconciler writes once the row has SUCCEEDED. A RUNNING row a dead
-- process left is marked FAILED at the next start, and its half-made database and role dropped.
CREATE TABLE database_restore (
  id               uuid PRIMARY KEY,
  site_id          uuid NOT NULL REFERENCES site (id),
  institution_id   uuid NOT NULL REFERENCES institution (id),
  backup_id        uuid REFERENCES backup (id) ON DELETE SET NULL,
  target           text NOT NULL CHECK (target IN ('IN_PLACE', 'NEW')),
  status           text NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
  -- NEW: the n of db-<site>-restored-<n> and the database (and role) made for it
  number           int CHECK (number > 0),
  database_name    text,
  -- IN_PLACE: the backup of the live data taken first
  safety_backup_id uuid REFERENCES backup (id) ON DELETE SET NULL,
  actor            text NOT NULL,
  started_at       timestamptz NOT NULL,
  finished_at      timestamptz,
  error            text,
  -- a NEW restore's database once dropped (decommission); its Secret goes with it
  dropped_at       timestamptz,
  CHECK ((target = 'NEW') = (number IS NOT NULL AND database_name IS NOT NULL)),
  CONSTRAINT database_restore_number_taken UNIQUE (site_id, number)
);
CREATE INDEX database_restore_site_started ON database_restore (site_id, started_at DESC);
CREATE INDEX database_restore_running ON database_restore (status) WHERE status = 'RUNNING';
