-- grain: one row per period and indicator_key: the indicator in every unit that reported
-- it for that period, as a map unit → value (sql/queries/07 pivots it into one column per unit).
CREATE OR REPLACE VIEW indicator_across_units AS
WITH final AS (
    SELECT period_id, any_value(sort_key) AS sort_key, indicator_key,
           any_value(indicator_name) AS indicator_name, any_value(unit) AS unit,
           count(*) AS units,
           map_from_entries(list({'k': province || ' / ' || unit_name, 'v': value_num} ORDER BY province, unit_name))
               AS value_by_unit
    FROM indicator_history
    WHERE period_id IS NOT NULL
    GROUP BY period_id, indicator_key
)
SELECT * FROM final;
