-- The size of each site's tenant database, sampled at most once an hour: usage against the
-- database storage its plan approved.
CREATE TABLE database_size_sample (
  site_id  uuid NOT NULL REFERENCES site (id),
  hour     timestamptz NOT NULL,
  bytes    bigint NOT NULL CHECK (bytes >= 0),
  PRIMARY KEY (site_id, hour)
);
CREATE INDEX database_size_sample_hour ON database_size_sample (hour);
