-- grain: one row per reporting unit: the territory it belongs to across the 2025 reorganisation.
-- `territory_id` is the province of the new register (34 provinces, from 1 July 2025) that holds the
-- unit's territory: itself for a new province, its successor for an old province or district, its
-- province's for a body the register does not hold (a sở). Reports of one territory before and after
-- the merger share it.
CREATE OR REPLACE VIEW unit_lineage AS
WITH units_in_register AS (
    SELECT u.unit_id, u.province, u.unit_level, u.unit_name, u.reports, u.first_period, u.last_period,
           u.register_id, u.official_code, u.official_level, u.official_name, u.register_era,
           u.province_code, u.successor_id, u.successor_name,
           a.province_id AS register_province_id
    FROM units u
    LEFT JOIN admin_units a USING (register_id)
),
final AS (
    SELECT u.*,
           CASE
               WHEN u.successor_id IS NOT NULL THEN u.successor_id
               WHEN u.register_era = 'from_2025' AND u.register_province_id IS NULL AND u.register_id IS NOT NULL
                   THEN u.register_id
               ELSE coalesce(u.register_province_id, r.province_id)
           END AS territory_id
    FROM units_in_register u
    LEFT JOIN (SELECT unit_id, any_value(province_id) AS province_id FROM reports GROUP BY unit_id) r USING (unit_id)
)
SELECT f.*, t.full_name AS territory_name, t.code AS territory_code
FROM final f
LEFT JOIN admin_units t ON t.register_id = f.territory_id;
