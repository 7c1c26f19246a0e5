-- grain: one row per unit, figure_key and period: a statistic stated in the text, through time
-- (order by sort_key, then as_of). When a unit re-issued a report for the same period, the
-- latest issued one wins; a statistic a report states twice keeps its first statement.
CREATE OR REPLACE VIEW figure_history AS
WITH source AS (
    SELECT r.unit_id, r.province, r.unit_level, r.unit_name,
           r.period_id, r.period_kind, r.period_year, r.period_quarter, r.period_month, p.sort_key,
           r.issued_on, r.report_id, f.seq, f.figure_key, f.as_of, f.value_raw, f.value_num, f.value_den,
           f.value_kind, f.measure, f.page, f.sentence
    FROM report_figures f
    JOIN reports r USING (report_id)
    LEFT JOIN periods p USING (period_id)
    WHERE f.figure_key IS NOT NULL
),
final AS (
    SELECT *
    FROM source
    QUALIFY row_number() OVER (
        PARTITION BY unit_id, period_id, figure_key
        ORDER BY issued_on DESC NULLS LAST, report_id, seq
    ) = 1
)
SELECT * FROM final;
