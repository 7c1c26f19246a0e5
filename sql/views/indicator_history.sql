-- grain: one row per unit, period and indicator_key: an indicator's time series per unit
-- (order by sort_key). When a unit re-issued a report for the same period, the latest
-- issued one wins.
CREATE OR REPLACE VIEW indicator_history AS
WITH source AS (
    SELECT r.unit_id, r.province, r.unit_level, r.unit_name,
           r.period_id, r.period_kind, r.period_year, r.period_quarter, r.period_month, p.sort_key,
           r.issued_on, r.report_id, i.section_code, i.item_code, i.indicator_key, i.indicator_name,
           i.unit, i.value_raw, i.value_num, i.value_kind, i.page
    FROM indicators i
    JOIN reports r USING (report_id)
    LEFT JOIN periods p USING (period_id)
),
final AS (
    SELECT *
    FROM source
    QUALIFY row_number() OVER (
        PARTITION BY unit_id, period_id, indicator_key
        ORDER BY issued_on DESC NULLS LAST, report_id
    ) = 1
)
SELECT * FROM final;
