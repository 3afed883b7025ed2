-- Suspension, decommissioning and the retention of decommissioned sites' databases.
ALTER TABLE site
  ADD COLUMN status_reason        text,
  ADD COLUMN database_name        text,
  ADD COLUMN database_drop_after  timestamptz,
  ADD COLUMN database_dropped_at  timestamptz;

CREATE INDEX site_database_drop ON site (database_drop_after)
  WHERE database_drop_after IS NOT NULL AND database_dropped_at IS NULL;
