-- token-get: one token by id.
-- inputs:  :id
-- outputs: a token row, or none
SELECT id, name, hash, grants, created_at, expires_at, last_used_at FROM tokens
WHERE id = :id
