-- Platform-wide settings the Authority changes at run time (retention, scorecard weights, ...).
CREATE TABLE platform_setting (
  key        text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_.]{0,99}$'),
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO platform_setting (key, value) VALUES
  ('database.retention_days', '30'::jsonb);
