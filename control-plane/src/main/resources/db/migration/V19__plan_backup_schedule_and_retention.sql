-- Each plan says how often its sites' databases are backed up and how long the backups are kept:
-- every backup for backup_keep_days days, the last good one of each of the latest backup_keep_weeks
-- weeks and of each of the latest backup_keep_months months (the current week and month counted).
-- WINGU_BACKUP_EVERY_HOURS caps the interval (0 turns scheduled backups off) and
-- WINGU_BACKUP_RETENTION_DAYS is the fewest days any plan keeps every backup.
ALTER TABLE plan
  ADD COLUMN backup_every_hours integer NOT NULL DEFAULT 24 CHECK (backup_every_hours BETWEEN 1 AND 744),
  ADD COLUMN backup_keep_days   integer NOT NULL DEFAULT 7 CHECK (backup_keep_days BETWEEN 1 AND 3650),
  ADD COLUMN backup_keep_weeks  integer NOT NULL DEFAULT 4 CHECK (backup_keep_weeks BETWEEN 0 AND 520),
  ADD COLUMN backup_keep_months integer NOT NULL DEFAULT 3 CHECK (backup_keep_months BETWEEN 0 AND 120);

UPDATE plan SET backup_every_hours = 24, backup_keep_days = 14, backup_keep_weeks = 8,
  backup_keep_months = 6 WHERE name = 'medium';
UPDATE plan SET backup_every_hours = 12, backup_keep_days = 30, backup_keep_weeks = 12,
  backup_keep_months = 12 WHERE name = 'large';
