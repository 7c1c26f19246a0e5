-- Citations whose printed date cannot exist (e.g. 31/02/2023): kept raw, issued_on NULL.
SELECT r.unit_name, r.doc_number || '/' || r.doc_symbol AS report, d.doc_type,
       d.doc_number || '/' || d.doc_symbol AS cited, c.date_raw, c.first_page
FROM citations c
JOIN reports r USING (report_id)
JOIN documents d USING (document_id)
WHERE c.date_valid = false
ORDER BY r.unit_name, cited;
