-- Every unit with the periods it reported on; a re-issued report (same unit, same period) is flagged.
SELECT u.province, u.unit_level, u.unit_name, r.period_id, r.doc_number || '/' || r.doc_symbol AS report,
       r.issued_on, r.reissue
FROM reports r
JOIN units u USING (unit_id)
ORDER BY u.province, u.unit_name, r.period_id, r.issued_on;
