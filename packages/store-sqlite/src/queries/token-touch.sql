-- token-touch: raises a token's last-used time, never lowering it.
-- inputs:  :id :lastUsedAt
-- outputs: changes
UPDATE tokens SET last_used_at = :lastUsedAt
WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :lastUsedAt)
