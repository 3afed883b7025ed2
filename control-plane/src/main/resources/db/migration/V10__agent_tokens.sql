-- The one agent token of each node that is valid now (tokens minted by POST /api/v1/agent/tokens).
-- Minting a new token replaces the row, so the previous one is refused; revoking deletes it. A
-- report is checked against this row, by primary key.
CREATE TABLE agent_token (
  node_name  text PRIMARY KEY,
  token_id   text NOT NULL,
  issued_at  timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  issued_by  text NOT NULL
);
