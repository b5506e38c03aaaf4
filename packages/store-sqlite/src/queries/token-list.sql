-- token-list: tokens by id after a cursor.
-- inputs:  :after (an id; '' for the first page) :limit
-- outputs: token rows by id
SELECT id, name, hash, grants, created_at, expires_at, last_used_at FROM tokens
WHERE id > :after
ORDER BY id
LIMIT CAST(:limit AS INTEGER)
