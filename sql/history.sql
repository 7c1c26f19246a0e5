-- The history tables, rebuilt from reports and indicators after every ingest
-- (pipeline.stages.load.refresh_history, one transaction). They hold nothing of their own.

DELETE FROM periods;
INSERT INTO periods
SELECT DISTINCT
    period_id, period_kind, period_year, period_quarter,
    CASE period_kind
        WHEN 'quarter' THEN make_date(period_year, 3 * period_quarter - 2, 1)
        WHEN 'month' THEN make_date(period_year, period_month, 1)
        ELSE make_date(period_year, 1, 1)
    END,
    CASE period_kind
        WHEN 'quarter' THEN last_day(make_date(period_year, 3 * period_quarter, 1))
        WHEN 'month' THEN last_day(make_date(period_year, period_month, 1))
        WHEN 'half_year' THEN make_date(period_year, 6, 30)
        WHEN 'nine_months' THEN make_date(period_year, 9, 30)
        WHEN 'year' THEN make_date(period_year, 12, 31)
    END,
    period_year * 100 + CASE period_kind
        WHEN 'quarter' THEN 3 * period_quarter
        WHEN 'month' THEN period_month
        WHEN 'half_year' THEN 6
        WHEN 'nine_months' THEN 9
        WHEN 'year' THEN 12
        ELSE 0
    END
FROM reports
WHERE period_id IS NOT NULL;

DELETE FROM units;
INSERT INTO units BY NAME
WITH per_unit AS (
    SELECT r.unit_id, any_value(r.province) AS province, any_value(r.unit_level) AS unit_level,
           any_value(r.unit_name) AS unit_name, count(*) AS reports,
           arg_min(r.period_id, p.sort_key) AS first_period, arg_max(r.period_id, p.sort_key) AS last_period,
           -- one unit id may be read in both registers (a province kept its name): the latest report's
           arg_max(r.register_id, coalesce(p.sort_key, 0)) AS register_id,
           arg_max(r.province_id, coalesce(p.sort_key, 0)) AS province_id
    FROM reports r LEFT JOIN periods p USING (period_id)
    WHERE r.unit_id IS NOT NULL
    GROUP BY r.unit_id
)
SELECT u.* EXCLUDE (province_id), a.code AS official_code, a.level AS official_level, a.full_name AS official_name,
       coalesce(a.era, pa.era) AS register_era, pa.code AS province_code,
       coalesce(a.successor_id, CASE WHEN a.register_id IS NULL THEN pa.successor_id END) AS successor_id,
       s.full_name AS successor_name
FROM per_unit u
LEFT JOIN admin_units a ON a.register_id = u.register_id
LEFT JOIN admin_units pa ON pa.register_id = u.province_id
LEFT JOIN admin_units s ON s.register_id = coalesce(a.successor_id, CASE WHEN a.register_id IS NULL THEN pa.successor_id END);

-- A re-issue: two reports (different files) of one kind (symbol) for one unit and one period. Both
-- stay; both are flagged. A province's CCHC report (BC-UBND) and its steering committee's report
-- (BC-BCĐ) for the same month are two reports, not a re-issue.
UPDATE reports SET reissue = coalesce((
    SELECT count(*) > 1 FROM reports r2
    WHERE r2.unit_id = reports.unit_id AND r2.period_id = reports.period_id
      AND r2.doc_symbol IS NOT DISTINCT FROM reports.doc_symbol
), false);

DELETE FROM indicator_catalog;
INSERT INTO indicator_catalog
SELECT i.indicator_key, mode(i.indicator_name), mode(i.section_code), mode(i.item_code), mode(i.unit),
       list(DISTINCT i.indicator_name ORDER BY i.indicator_name), count(DISTINCT i.report_id),
       arg_min(r.period_id, p.sort_key), arg_max(r.period_id, p.sort_key)
FROM indicators i JOIN reports r USING (report_id) LEFT JOIN periods p USING (period_id)
GROUP BY i.indicator_key;
