-- Who is in charge of administrative reform in each unit, from its latest report.
WITH latest AS (
    SELECT report_id, unit_name
    FROM reports
    QUALIFY row_number() OVER (PARTITION BY unit_name ORDER BY issued_on DESC NULLS LAST) = 1
)
SELECT l.unit_name, s.group_label, s.full_name, s.position, s.phone, s.email
FROM staff s JOIN latest l USING (report_id)
ORDER BY l.unit_name, s.seq;
