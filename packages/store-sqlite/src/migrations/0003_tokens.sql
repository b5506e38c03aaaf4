-- 0003_tokens: access tokens. A row keeps the token's public id and fields and the SHA-256 (hex)
-- of its secret, never the secret. `grants` is a JSON array of `action:pattern` strings.
-- `last_used_at` is raised at most once a minute per token and server (token-touch.sql).

CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  hash TEXT NOT NULL,
  grants TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  last_used_at INTEGER
);
