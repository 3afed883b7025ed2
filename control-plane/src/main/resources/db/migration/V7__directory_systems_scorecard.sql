-- Public service directory, ICT systems register, and the monthly scorecard's evidence and publications.

-- Search ignores accents and case in both languages: Swahili has no stemmer, so its words are only
-- unaccented and lowercased; English words are unaccented and stemmed.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION wingu_sw (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION wingu_sw ALTER MAPPING FOR word, hword, hword_part WITH unaccent, simple;
CREATE TEXT SEARCH CONFIGURATION wingu_en (COPY = english);
ALTER TEXT SEARCH CONFIGURATION wingu_en ALTER MAPPING FOR word, hword, hword_part WITH unaccent, english_stem;

ALTER TABLE institution ADD COLUMN search tsvector GENERATED ALWAYS AS (
  to_tsvector('wingu_en'::regconfig, name) || to_tsvector('wingu_sw'::regconfig, coalesce(name_sw, ''))
  || to_tsvector('simple'::regconfig, code)) STORED;
CREATE INDEX institution_search ON institution USING gin (search);
CREATE INDEX institution_directory_order ON institution (name, code);

CREATE TABLE directory_service (
  id             uuid PRIMARY KEY,
  institution_id uuid NOT NULL REFERENCES institution (id),
  name_sw        text NOT NULL CHECK (length(name_sw) BETWEEN 1 AND 200),
  name_en        text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
  description_sw text NOT NULL CHECK (length(description_sw) BETWEEN 1 AND 2000),
  description_en text NOT NULL CHECK (length(description_en) BETWEEN 1 AND 2000),
  url            text NOT NULL CHECK (url ~ '^https://' AND length(url) <= 2000),
  category       text NOT NULL,
  region         text NOT NULL,
  hidden_reason  text CHECK (length(hidden_reason) <= 2000),
  hidden_at      timestamptz,
  hidden_by      text,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  updated_by     text NOT NULL,
  search         tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('wingu_sw'::regconfig, name_sw), 'A')
    || setweight(to_tsvector('wingu_en'::regconfig, name_en), 'A')
    || setweight(to_tsvector('wingu_sw'::regconfig, description_sw), 'B')
    || setweight(to_tsvector('wingu_en'::regconfig, description_en), 'B')) STORED,
  CHECK ((hidden_at IS NULL) = (hidden_reason IS NULL))
);
CREATE INDEX directory_service_search ON directory_service USING gin (search) WHERE hidden_at IS NULL;
CREATE INDEX directory_service_institution ON directory_service (institution_id, name_en, id);
CREATE INDEX directory_service_filters ON directory_service (category, region) WHERE hidden_at IS NULL;

-- One counter for everything the public directory shows: its answers carry it in their ETag, so a
-- conditional request costs one row read, and a change anywhere shows at once.
CREATE TABLE directory_version (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version   bigint NOT NULL
);
INSERT INTO directory_version (version) VALUES (1);

CREATE FUNCTION directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE directory_version SET version = version + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER directory_service_changed AFTER INSERT OR UPDATE OR DELETE ON directory_service
  FOR EACH STATEMENT EXECUTE FUNCTION directory_changed();
CREATE TRIGGER institution_directory_changed AFTER INSERT OR UPDATE OR DELETE ON institution
  FOR EACH STATEMENT EXECUTE FUNCTION directory_changed();
CREATE TRIGGER site_directory_added AFTER INSERT ON site
  FOR EACH STATEMENT EXECUTE FUNCTION directory_changed();
-- the reconciler updates sites all the time: only a change of what the directory shows counts
CREATE TRIGGER site_directory_changed AFTER UPDATE OF status, hostnames ON site
  FOR EACH ROW WHEN ((OLD.status IN ('SUSPENDED', 'DECOMMISSIONING', 'DECOMMISSIONED'))
                     IS DISTINCT FROM (NEW.status IN ('SUSPENDED', 'DECOMMISSIONING', 'DECOMMISSIONED'))
                     OR OLD.hostnames IS DISTINCT FROM NEW.hostnames)
  EXECUTE FUNCTION directory_changed();

CREATE TABLE ict_system (
  id             uuid PRIMARY KEY,
  institution_id uuid NOT NULL REFERENCES institution (id),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  purpose        text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 2000),
  category       text NOT NULL,
  hosting        text NOT NULL,
  built_by       text NOT NULL CHECK (length(built_by) BETWEEN 1 AND 200),
  users          integer NOT NULL CHECK (users >= 0),
  reviewed_at    date NOT NULL,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  updated_by     text NOT NULL
);
CREATE INDEX ict_system_institution ON ict_system (institution_id, name, id);
CREATE INDEX ict_system_category ON ict_system (category, institution_id);

-- Why an operator rejected a request: "incomplete" (missing information) counts against the
-- institution on the scorecard; the reason text stays in the request's history.
ALTER TABLE hosting_request ADD COLUMN rejection_kind text
  CHECK (rejection_kind IN ('incomplete', 'not-eligible', 'capacity', 'other'));

-- The accessibility check run on every built revision.
CREATE TABLE site_revision_check (
  site_id    uuid NOT NULL,
  revision   integer NOT NULL,
  passed     boolean NOT NULL,
  findings   jsonb NOT NULL,
  checked_at timestamptz NOT NULL,
  PRIMARY KEY (site_id, revision),
  FOREIGN KEY (site_id, revision) REFERENCES site_revision (site_id, revision)
);

-- A published scorecard month never changes: a recalculation is published as the next version of
-- the month, a visible correction. The application role may only read and insert these rows.
CREATE TABLE scorecard_publication (
  month        date NOT NULL CHECK (extract(day FROM month) = 1),
  version      integer NOT NULL CHECK (version > 0),
  published_at timestamptz NOT NULL,
  published_by text NOT NULL,
  weights      jsonb NOT NULL,
  median       numeric(5, 1) NOT NULL,
  note         text CHECK (length(note) <= 2000),
  PRIMARY KEY (month, version)
);

CREATE TABLE scorecard_entry (
  month          date NOT NULL,
  version        integer NOT NULL,
  institution_id uuid NOT NULL REFERENCES institution (id),
  rank           integer NOT NULL,
  score          numeric(5, 1) NOT NULL,
  criteria       jsonb NOT NULL,
  PRIMARY KEY (month, version, institution_id),
  FOREIGN KEY (month, version) REFERENCES scorecard_publication (month, version)
);
CREATE INDEX scorecard_entry_institution ON scorecard_entry (institution_id, month, version);

CREATE FUNCTION scorecard_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a published scorecard month never changes: publish a correction instead'
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER scorecard_publication_immutable BEFORE UPDATE OR DELETE ON scorecard_publication
  FOR EACH ROW EXECUTE FUNCTION scorecard_immutable();
CREATE TRIGGER scorecard_entry_immutable BEFORE UPDATE OR DELETE ON scorecard_entry
  FOR EACH ROW EXECUTE FUNCTION scorecard_immutable();
