-- The tables of docs/CONTRACT.md, plus bookkeeping columns (marked "extra").
-- Applied by `pipeline.load.apply_schema` on every run: every statement is idempotent.

-- grain: one row per distinct report (by content hash)
CREATE TABLE IF NOT EXISTS reports (
    report_id      TEXT PRIMARY KEY,   -- first 16 hex digits of sha256
    source_file    TEXT NOT NULL,      -- path relative to the archive root
    sha256         TEXT NOT NULL,
    page_count     INTEGER,
    doc_number     TEXT,
    doc_symbol     TEXT,
    issued_on      DATE,
    unit_level     TEXT,
    unit_name      TEXT,
    province       TEXT,
    period_kind    TEXT,
    period_year    INTEGER,
    period_quarter INTEGER,
    title          TEXT,
    signer_name    TEXT,
    signer_title   TEXT,
    text_source    TEXT,
    parser_version TEXT,               -- extra: re-parse when the parsers change
    run_id         TEXT,               -- extra: the run that loaded it
    loaded_at      TIMESTAMP           -- extra
);

-- grain: one row per distinct cited document (number, symbol, issuer)
CREATE TABLE IF NOT EXISTS documents (
    document_id TEXT PRIMARY KEY,
    doc_type    TEXT,
    doc_number  TEXT,
    doc_symbol  TEXT,
    issued_on   DATE,
    issuer      TEXT,
    identity_key TEXT,                 -- extra: number + symbol + issuer, without the year
    year        TEXT                   -- extra: '' when undated (local numbers restart each year)
);

-- grain: one row per (report, document)
CREATE TABLE IF NOT EXISTS citations (
    report_id    TEXT NOT NULL,
    document_id  TEXT NOT NULL,
    is_directive BOOLEAN,
    mentions     INTEGER,
    first_page   INTEGER,
    date_raw     TEXT,
    date_valid   BOOLEAN,
    context      TEXT,
    issuer_raw   TEXT                  -- extra: the issuer as printed
);

-- grain: one row per appendix indicator row
CREATE TABLE IF NOT EXISTS indicators (
    report_id      TEXT NOT NULL,
    section_code   TEXT,
    section_title  TEXT,
    item_code      TEXT,
    indicator_name TEXT,
    indicator_key  TEXT,
    unit           TEXT,
    value_raw      TEXT,
    value_num      DOUBLE,
    value_kind     TEXT,
    note           TEXT,
    page           INTEGER,
    seq            INTEGER,            -- extra: order of the row in the appendix
    bbox           TEXT,               -- extra: "x0,top,x1,bottom" in PDF points on `page`
    confidence     DOUBLE              -- extra: lowest OCR word confidence in the row (1 = text layer)
);

-- grain: one row per person in the staffing list
CREATE TABLE IF NOT EXISTS staff (
    report_id   TEXT NOT NULL,
    group_label TEXT,
    seq         INTEGER,
    full_name   TEXT,
    position    TEXT,
    education   TEXT,
    phone       TEXT,
    email       TEXT,
    page        INTEGER,
    confidence  DOUBLE              -- extra: lowest OCR word confidence in the row (1 = text layer)
);

-- extra; grain: one row per page of a loaded report: where its words came from
CREATE TABLE IF NOT EXISTS report_pages (
    report_id      TEXT NOT NULL,
    page           INTEGER NOT NULL,
    text_source    TEXT,               -- text, ocr, blank; none/garbled only if OCR was skipped
    dpi            INTEGER,            -- OCR render resolution
    skew_degrees   DOUBLE,             -- rotation applied to level the scan
    ocr_confidence DOUBLE              -- mean Tesseract word confidence, 0-1
);

-- Databases built before a column existed get it here (CREATE TABLE IF NOT EXISTS keeps old tables).
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS confidence DOUBLE;
ALTER TABLE staff ADD COLUMN IF NOT EXISTS confidence DOUBLE;

-- grain: one row per file seen by each ingest run
CREATE TABLE IF NOT EXISTS ingest_files (
    run_id      TEXT NOT NULL,
    source_file TEXT NOT NULL,
    sha256      TEXT,
    status      TEXT NOT NULL,         -- loaded, unchanged, duplicate, failed, not_a_report
    error       TEXT,
    report_id   TEXT,
    seconds     DOUBLE,
    pages       INTEGER,               -- extra
    parser_version TEXT,               -- extra
    recorded_at TIMESTAMP              -- extra
);

-- grain: one row per ingest run (extra)
CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id      TEXT PRIMARY KEY,
    archive     TEXT,
    started_at  TIMESTAMP,
    finished_at TIMESTAMP,
    outcome     TEXT                   -- finished, interrupted
);
