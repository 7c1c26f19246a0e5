-- grain: one row per report and directive document (documents the unit listed
-- under "Công tác chỉ đạo điều hành" in that period's report): a unit's directives by quarter.
CREATE OR REPLACE VIEW directives_by_period AS
WITH source AS (
    SELECT r.unit_id, r.province, r.unit_level, r.unit_name,
           r.period_id, r.period_kind, r.period_year, r.period_quarter, p.sort_key,
           r.report_id, d.document_id, d.doc_type, d.doc_number, d.doc_symbol, d.issued_on, d.issuer,
           c.date_raw, c.date_valid
    FROM citations c
    JOIN reports r USING (report_id)
    JOIN documents d USING (document_id)
    LEFT JOIN periods p USING (period_id)
    WHERE c.is_directive
)
SELECT * FROM source;
