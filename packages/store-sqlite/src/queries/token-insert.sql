-- token-insert: stores a new token; an existing id is left as it is.
-- inputs:  :id :name :hash :grants (JSON array) :createdAt :expiresAt :lastUsedAt
-- outputs: changes (0 when the id exists)
INSERT INTO tokens (id, name, hash, grants, created_at, expires_at, last_used_at)
VALUES (:id, :name, :hash, :grants, :createdAt, :expiresAt, :lastUsedAt)
ON CONFLICT (id) DO NOTHING
