-- The national decrees (Nghị định) cited by the most reports.
SELECT doc_number || '/' || doc_symbol AS decree, issued_on, reports, mentions
FROM most_cited_documents
WHERE doc_type = 'Nghị định'
ORDER BY reports DESC, mentions DESC, decree
LIMIT 10;
