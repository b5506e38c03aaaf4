-- queue-ensure: creates the queues that do not exist yet, with an empty config.
-- inputs:  :names (text[]) :now
-- outputs: rowCount (queues created)
INSERT INTO queues (name, paused, config, created_at)
SELECT name, false, '{}', :now::bigint FROM unnest(:names::text[]) AS name
ORDER BY name
ON CONFLICT (name) DO NOTHING
