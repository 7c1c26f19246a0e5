-- grain: one row per year and document: how many of that year's reports cite it
-- (the year is the period reported on), ranked within the year.
CREATE OR REPLACE VIEW most_cited_documents_by_year AS
WITH cited AS (
    SELECT r.period_year AS year, c.document_id,
           count(DISTINCT c.report_id) AS reports, sum(c.mentions) AS mentions
    FROM citations c
    JOIN reports r USING (report_id)
    WHERE r.period_year IS NOT NULL
    GROUP BY ALL
),
final AS (
    SELECT cited.year, d.document_id, d.doc_type, d.doc_number, d.doc_symbol, d.issuer, d.issued_on,
           cited.reports, cited.mentions,
           rank() OVER (PARTITION BY cited.year ORDER BY cited.reports DESC, cited.mentions DESC) AS rank_in_year
    FROM cited
    JOIN documents d USING (document_id)
)
SELECT * FROM final ORDER BY year, rank_in_year, doc_symbol, doc_number;
