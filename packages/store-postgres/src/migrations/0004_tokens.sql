-- 0004_tokens: access tokens. A row keeps the token's public id and fields and the SHA-256 (hex)
-- of its secret, never the secret. `grants` holds `action:pattern` strings. `last_used_at` is
-- raised at most once a minute per token and server (token-touch.sql).
CREATE TABLE tokens (
  id           text COLLATE "C" PRIMARY KEY,
  name         text NOT NULL,
  hash         text NOT NULL,
  grants       text[] NOT NULL,
  created_at   bigint NOT NULL,
  expires_at   bigint,
  last_used_at bigint
);
