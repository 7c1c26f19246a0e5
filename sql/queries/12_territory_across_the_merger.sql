-- Every report of one territory before and after the 2025 merger: the districts and old provinces
-- whose territory a province of the 34 now holds, and that province's own reports.
SELECT l.territory_name, r.period_id, l.register_era, l.official_level, l.official_code, r.unit_name,
       r.province, r.doc_number || '/' || r.doc_symbol AS report
FROM reports r
JOIN unit_lineage l USING (unit_id)
WHERE l.territory_name = 'Thành phố Cần Thơ'
ORDER BY r.issued_on, r.period_id;
