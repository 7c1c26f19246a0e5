-- What the latest ingest run did with each file, problems first.
SELECT source_file, status, error, round(seconds, 2) AS seconds
FROM ingest_files
WHERE run_id = (SELECT run_id FROM ingest_runs ORDER BY started_at DESC LIMIT 1)
ORDER BY status = 'loaded', status, source_file;
