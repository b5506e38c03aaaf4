-- token-touch: raises a token's last-used time, never lowering it.
-- inputs:  :id :lastUsedAt
-- outputs: rowCount
UPDATE tokens SET last_used_at = :lastUsedAt::bigint
WHERE id = :id::text AND (last_used_at IS NULL OR last_used_at < :lastUsedAt::bigint)
