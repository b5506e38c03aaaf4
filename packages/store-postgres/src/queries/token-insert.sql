-- token-insert: stores a new token; an existing id is left as it is.
-- inputs:  :id :name :hash :grants (text[]) :createdAt :expiresAt :lastUsedAt
-- outputs: rowCount (0 when the id exists)
INSERT INTO tokens (id, name, hash, grants, created_at, expires_at, last_used_at)
VALUES (:id::text, :name::text, :hash::text, :grants::text[], :createdAt::bigint, :expiresAt::bigint,
        :lastUsedAt::bigint)
ON CONFLICT (id) DO NOTHING
