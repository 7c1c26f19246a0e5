-- The three documents cited by the most reports, year by year.
SELECT year, rank_in_year, doc_type, doc_number || '/' || doc_symbol AS document, reports
FROM most_cited_documents_by_year
WHERE rank_in_year <= 3
ORDER BY year, rank_in_year, document;
