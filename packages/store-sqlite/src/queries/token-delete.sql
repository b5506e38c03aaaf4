-- token-delete: revokes a token.
-- inputs:  :id
-- outputs: changes (0 when it did not exist)
DELETE FROM tokens WHERE id = :id
