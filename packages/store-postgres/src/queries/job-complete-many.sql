-- job-complete-many: the fast path of a batch ack. Every item whose job is active under the
-- item's token and has not expired becomes completed, and workers and queues get their tallies,
-- in one statement. Only the first item of an id takes part (a repeat must be refused, as a
-- second ack would be). Items that match nothing are settled one by one by the caller, which
-- works out why.
-- inputs:  :ids (text[]) :tokens (text[]) :results (text[]: JSON text or NULL) :now
-- outputs: the completed job rows, in no particular order
WITH items AS (
  SELECT DISTINCT ON (id) id, token, result
  FROM unnest(:ids::text[], :tokens::text[], :results::text[]) WITH ORDINALITY AS item(id, token, result, ord)
  ORDER BY id, ord
), done AS (
  UPDATE jobs
  SET state = 'completed',
      result = items.result,
      finished_at = :now,
      lease_token = NULL,
      lease_expires_at = NULL
  FROM items
  WHERE jobs.id = items.id AND jobs.state = 'active' AND jobs.lease_token = items.token
    AND (jobs.expires_at IS NULL OR jobs.expires_at > :now)
  RETURNING jobs.*
), counted AS (
  INSERT INTO worker_tallies (worker, processed, failed)
  SELECT worker, count(*), 0 FROM done WHERE worker IS NOT NULL GROUP BY worker
), queue_counted AS (
  INSERT INTO queue_tallies (queue, completed, failed)
  SELECT queue, count(*), 0 FROM done GROUP BY queue
)
SELECT * FROM done
