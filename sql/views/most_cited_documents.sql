-- grain: one row per document, with how many reports cite it and how often.
CREATE OR REPLACE VIEW most_cited_documents AS
WITH cited AS (
    SELECT document_id, count(DISTINCT report_id) AS reports, sum(mentions) AS mentions,
           min(r.period_year) AS first_year, max(r.period_year) AS last_year
    FROM citations c
    JOIN reports r USING (report_id)
    GROUP BY document_id
),
final AS (
    SELECT d.document_id, d.doc_type, d.doc_number, d.doc_symbol, d.issuer, d.issued_on,
           cited.reports, cited.mentions, cited.first_year, cited.last_year
    FROM documents d
    JOIN cited USING (document_id)
)
SELECT * FROM final ORDER BY reports DESC, mentions DESC, doc_symbol, doc_number;
