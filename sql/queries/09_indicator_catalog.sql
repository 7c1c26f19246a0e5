-- The indicator catalogue: every key with its name, where and when it appears, and how its name was printed.
SELECT indicator_key, canonical_name, unit, reports, first_period, last_period, len(name_variants) AS names
FROM indicator_catalog
ORDER BY section_code, try_cast(item_code AS INTEGER), indicator_key;
