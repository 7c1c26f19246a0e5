-- How many directive documents each unit issued per quarter, by type.
SELECT unit_name, period_year, period_quarter, doc_type, count(*) AS documents
FROM directives_by_period
GROUP BY ALL
ORDER BY unit_name, period_year, period_quarter, documents DESC;
