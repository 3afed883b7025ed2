-- Institutions, accounts, plans, hosting requests, sites and the platform-wide audit chain.
-- The application role gets its privileges from DatabaseRoles at start-up, never ownership.

CREATE TABLE institution (
  id            uuid PRIMARY KEY,
  code          text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,18}[a-z0-9]$'),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  name_sw       text CHECK (length(name_sw) BETWEEN 1 AND 200),
  contact_email text NOT NULL CHECK (length(contact_email) <= 254),
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- A delegated DNS name belongs to one institution only.
CREATE TABLE institution_domain (
  domain         text PRIMARY KEY,
  institution_id uuid NOT NULL REFERENCES institution (id)
);
CREATE INDEX institution_domain_institution ON institution_domain (institution_id);

CREATE TABLE account (
  id              uuid PRIMARY KEY,
  username        text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._@-]{2,63}$'),
  password_hash   text NOT NULL,
  role            text NOT NULL CHECK (role IN ('operator', 'auditor', 'institution-admin', 'webmaster', 'agent')),
  institution_id  uuid REFERENCES institution (id),
  failed_logins   integer NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((role IN ('institution-admin', 'webmaster')) = (institution_id IS NOT NULL))
);
CREATE INDEX account_institution ON account (institution_id);

CREATE TABLE plan (
  id                uuid PRIMARY KEY,
  name              text NOT NULL UNIQUE CHECK (name ~ '^[a-z][a-z0-9-]{0,39}$'),
  cpu_millis        integer NOT NULL CHECK (cpu_millis > 0),
  memory_bytes      bigint NOT NULL CHECK (memory_bytes > 0),
  storage_bytes     bigint NOT NULL CHECK (storage_bytes > 0),
  db_storage_bytes  bigint NOT NULL CHECK (db_storage_bytes >= 0),
  db_connections    integer NOT NULL DEFAULT 20 CHECK (db_connections > 0),
  created_at        timestamptz NOT NULL DEFAULT now()
);

INSERT INTO plan (id, name, cpu_millis, memory_bytes, storage_bytes, db_storage_bytes, db_connections) VALUES
  ('00000000-0000-4000-8000-000000000001', 'small',  500,  536870912,  5368709120,  1073741824, 10),
  ('00000000-0000-4000-8000-000000000002', 'medium', 1000, 2147483648, 21474836480, 5368709120, 20),
  ('00000000-0000-4000-8000-000000000003', 'large',  2000, 4294967296, 53687091200, 21474836480, 50);

CREATE TABLE hosting_request (
  id              uuid PRIMARY KEY,
  institution_id  uuid NOT NULL REFERENCES institution (id),
  site_name       text NOT NULL CHECK (site_name ~ '^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$'),
  hostnames       text[] NOT NULL,
  plan_id         uuid NOT NULL REFERENCES plan (id),
  template_id     text,
  database_engine text CHECK (database_engine IN ('postgresql')),
  database_plan_id uuid REFERENCES plan (id),
  justification   text NOT NULL CHECK (length(justification) BETWEEN 1 AND 4000),
  status          text NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED', 'CANCELLED')),
  cpu_millis      integer NOT NULL,
  memory_bytes    bigint NOT NULL,
  storage_bytes   bigint NOT NULL,
  site_id         uuid,
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX hosting_request_status ON hosting_request (status, created_at, id);
CREATE INDEX hosting_request_institution ON hosting_request (institution_id, created_at, id);
CREATE INDEX hosting_request_created ON hosting_request (created_at, id);
-- One open request per site name and institution; decided requests may repeat a name.
CREATE UNIQUE INDEX hosting_request_pending_name ON hosting_request (institution_id, site_name)
  WHERE status = 'PENDING';

CREATE TABLE hosting_request_history (
  request_id uuid NOT NULL REFERENCES hosting_request (id),
  position   integer NOT NULL,
  status     text NOT NULL,
  at         timestamptz NOT NULL,
  actor      text NOT NULL,
  note       text,
  PRIMARY KEY (request_id, position)
);

CREATE TABLE site (
  id               uuid PRIMARY KEY,
  institution_id   uuid NOT NULL REFERENCES institution (id),
  request_id       uuid NOT NULL UNIQUE REFERENCES hosting_request (id),
  name             text NOT NULL,
  hostnames        text[] NOT NULL,
  plan_id          uuid NOT NULL REFERENCES plan (id),
  template_id      text,
  cpu_millis       integer NOT NULL,
  memory_bytes     bigint NOT NULL,
  storage_bytes    bigint NOT NULL,
  database_engine  text,
  database_plan_id uuid REFERENCES plan (id),
  status           text NOT NULL CHECK (status IN ('PROVISIONING', 'ACTIVE', 'DEGRADED', 'SUSPENDED',
                                                    'DECOMMISSIONING', 'DECOMMISSIONED')),
  conditions       jsonb NOT NULL DEFAULT '[]'::jsonb,
  current_revision integer,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE UNIQUE INDEX site_live_name ON site (institution_id, name) WHERE status <> 'DECOMMISSIONED';
CREATE INDEX site_institution ON site (institution_id, created_at, id);
CREATE INDEX site_created ON site (created_at, id);

-- A hostname serves one live site: the primary key is the guarantee (409 on a second).
CREATE TABLE site_hostname (
  hostname text PRIMARY KEY,
  site_id  uuid NOT NULL REFERENCES site (id)
);

-- The audit chain: seq is gap-free and hash = SHA-256(prev_hash || JCS(event)).
CREATE TABLE audit_event (
  seq            bigint PRIMARY KEY,
  at             timestamptz NOT NULL,
  actor          text NOT NULL,
  action         text NOT NULL,
  target         text NOT NULL,
  institution_id uuid,
  request_id     text,
  before         jsonb,
  after          jsonb,
  prev_hash      text NOT NULL,
  hash           text NOT NULL
);
CREATE INDEX audit_event_institution ON audit_event (institution_id, seq);
CREATE INDEX audit_event_at ON audit_event (at, seq);

-- The head of the chain, one row: appending locks it for the length of the insert only.
CREATE TABLE audit_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  seq       bigint NOT NULL,
  hash      text NOT NULL
);
INSERT INTO audit_head (seq, hash) VALUES (0, repeat('0', 64));
