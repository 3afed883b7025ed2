-- Node agents' usage reports: raw samples partitioned by day, rollups per hour and per day.

-- One row per accepted report: (node_name, seq) makes a replayed report count once.
CREATE TABLE node_report (
  node_name              text NOT NULL,
  seq                    bigint NOT NULL,
  collected_at           timestamptz NOT NULL,
  received_at            timestamptz NOT NULL DEFAULT now(),
  cpu_capacity_millis    bigint NOT NULL,
  cpu_used_millis        bigint NOT NULL,
  memory_capacity_bytes  bigint NOT NULL,
  memory_used_bytes      bigint NOT NULL,
  fs_capacity_bytes      bigint NOT NULL,
  fs_used_bytes          bigint NOT NULL,
  pods                   integer NOT NULL,
  PRIMARY KEY (node_name, seq)
);
CREATE INDEX node_report_latest ON node_report (node_name, collected_at DESC);

-- Per pod, per report. Partitioned by day so that retention drops whole partitions.
CREATE TABLE usage_sample (
  collected_at   timestamptz NOT NULL,
  node_name      text NOT NULL,
  namespace      text NOT NULL,
  pod_name       text NOT NULL,
  pod_uid        text NOT NULL,
  cpu_millis     bigint NOT NULL,
  memory_bytes   bigint NOT NULL,
  net_rx_bytes   bigint NOT NULL,
  net_tx_bytes   bigint NOT NULL
) PARTITION BY RANGE (collected_at);
CREATE TABLE usage_sample_default PARTITION OF usage_sample DEFAULT;
CREATE INDEX usage_sample_time ON usage_sample (collected_at);

-- Hourly and daily rollups per pod; namespaces and institutions are sums over pods.
CREATE TABLE usage_rollup (
  resolution        text NOT NULL CHECK (resolution IN ('hour', 'day')),
  bucket            timestamptz NOT NULL,
  namespace         text NOT NULL,
  pod_uid           text NOT NULL,
  pod_name          text NOT NULL,
  samples           integer NOT NULL,
  cpu_millis_avg    double precision NOT NULL,
  cpu_millis_max    bigint NOT NULL,
  memory_bytes_avg  double precision NOT NULL,
  memory_bytes_max  bigint NOT NULL,
  net_rx_bytes      bigint NOT NULL,
  net_tx_bytes      bigint NOT NULL,
  PRIMARY KEY (resolution, bucket, namespace, pod_uid)
);
CREATE INDEX usage_rollup_namespace ON usage_rollup (namespace, resolution, bucket);

-- Which hours have been rolled up (a late report makes its hour dirty again).
CREATE TABLE usage_rollup_dirty (
  hour timestamptz PRIMARY KEY
);

-- Quota alerts: one per institution, resource, threshold and day.
CREATE TABLE usage_alert (
  institution_id uuid NOT NULL REFERENCES institution (id),
  resource       text NOT NULL,
  threshold      integer NOT NULL CHECK (threshold IN (80, 100)),
  day            date NOT NULL,
  used           double precision NOT NULL,
  quota          double precision NOT NULL,
  raised_at      timestamptz NOT NULL,
  PRIMARY KEY (institution_id, resource, threshold, day)
);
