-- The tables of docs/CONTRACT.md, plus bookkeeping columns (marked "extra").
-- Applied by `pipeline.store.migrate.ensure_schema` on every run, after the migrations of pipeline/store/migrate.py
-- have brought an older database's tables up to these (every statement is idempotent). A column added
-- here needs a step there, and SCHEMA_VERSION moves on.

-- extra; grain: one row per schema version this database was brought to (the highest is its version)
CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER NOT NULL,       -- schema version reached (pipeline.store.migrate.SCHEMA_VERSION), e.g. 8
    applied_at TIMESTAMP,              -- when it was reached
    by_version TEXT                    -- what wrote it: parser version and the schema it came from
);

-- grain: one row per distinct report (by content hash)
CREATE TABLE IF NOT EXISTS reports (
    report_id      TEXT PRIMARY KEY,   -- stable id derived from the file's SHA-256 (its first 16 hex digits)
    source_file    TEXT NOT NULL,      -- path of the PDF as found in the archive, relative to the archive root
    sha256         TEXT NOT NULL,      -- hex digest of the file bytes
    page_count     INTEGER,            -- number of pages, e.g. 26
    doc_number     TEXT,               -- report number as printed, without the symbol, e.g. 72
    doc_symbol     TEXT,               -- symbol after the number, e.g. BC-UBND
    issued_on      DATE,               -- date of issue, e.g. 2023-03-16 from "Long Phú, ngày 16 tháng 3 năm 2023"; NULL when unreadable
    unit_level     TEXT,               -- level of the reporting unit: huyện, thị xã, thành phố, tỉnh, xã, sở …
    unit_name      TEXT,               -- name of the reporting unit, e.g. Long Phú
    province       TEXT,               -- province of the reporting unit, e.g. Sóc Trăng
    period_kind    TEXT,               -- period reported on: quarter, half_year, nine_months, year, month
    period_year    INTEGER,            -- year of the period reported on, e.g. 2023
    period_quarter INTEGER,            -- quarter 1-4; NULL unless period_kind = 'quarter'
    period_month   INTEGER,            -- extra: month 1-12; NULL unless period_kind = 'month'
    title          TEXT,               -- title as printed, e.g. "Kết quả thực hiện công tác cải cách hành chính quý I năm 2023 …"
    signer_name    TEXT,               -- name of the signer, e.g. Huỳnh Quốc Lâm
    signer_title   TEXT,               -- title of the signer, e.g. Phó Chủ tịch
    text_source    TEXT,               -- text, ocr or mixed (some pages needed OCR)
    parser_version TEXT,               -- extra: version of the parsers that read it; re-parse when the parsers change
    run_id         TEXT,               -- extra: the ingest run that loaded it (→ ingest_runs)
    loaded_at      TIMESTAMP,          -- extra: when it was loaded
    unit_id        TEXT,               -- extra: the reporting unit (→ units)
    period_id      TEXT,               -- extra: the period reported on (→ periods), e.g. 2023-Q1
    reissue        BOOLEAN,            -- extra: another report of the same symbol covers the same unit and period (both are kept)
    missing_since  TEXT,               -- extra: the run that first found its file gone from the archive (→ ingest_runs); NULL while the file is there
    issuer_printed TEXT,               -- the issuing body as printed in the heading, e.g. VĂN PHÒNG, SỞ NỘI VỤ, HIỆP HỘI DOANH NGHIỆP TỈNH BÌNH DƯƠNG
    issuer_parent  TEXT,               -- the parent line printed above the issuing body, e.g. UBND TỈNH QUẢNG NGÃI; NULL when none
    register_id    TEXT,               -- extra: the reporting unit in the official register (→ admin_units), e.g. before_2025/946; NULL for a body the register does not hold (a sở, a committee)
    province_id    TEXT,               -- extra: its province in the official register (→ admin_units), e.g. before_2025/94; also for a body the register does not hold
    province_raw   TEXT,               -- extra: the province as read, when the register's spelling replaced it (OCR "Lâm Đòng" → Lâm Đồng); NULL otherwise
    unit_name_raw  TEXT,               -- extra: the unit name as read, when the register's spelling replaced it; NULL otherwise
    header_raw     TEXT                -- extra: a scan's header fields as OCR read them, where a repair changed them, as a JSON object, e.g. {"signer_title": "PHÓ GLÁM ĐÓC"}; NULL otherwise
);

-- grain: one row per distinct cited document (number, symbol, issuer)
CREATE TABLE IF NOT EXISTS documents (
    document_id TEXT PRIMARY KEY,      -- stable id
    doc_type    TEXT,                  -- canonical type: Kế hoạch, Công văn, Quyết định, Nghị định, Thông báo, Thông tư, Chỉ thị, Nghị quyết, Đề án, Báo cáo, Hướng dẫn, Luật
    doc_number  TEXT,                  -- number as printed, e.g. 05, 104
    doc_symbol  TEXT,                  -- everything after the first '/', e.g. KH-UBND, 2022/NĐ-CP
    issued_on   DATE,                  -- date of issue; NULL when absent or impossible (e.g. "31/02/2023")
    issuer      TEXT,                  -- resolved issuing body, e.g. Ủy ban nhân dân huyện Long Phú for "Ủy ban nhân dân huyện" in a Long Phú report
    identity_key TEXT,                 -- extra: number + symbol + issuer, without the year
    year        TEXT                   -- extra: year of a local document, which tells apart numbers that restart each year; '' when undated or the symbol holds the year
);

-- grain: one row per (report, document)
CREATE TABLE IF NOT EXISTS citations (
    report_id    TEXT NOT NULL,        -- the citing report (→ reports)
    document_id  TEXT NOT NULL,        -- the cited document (→ documents)
    is_directive BOOLEAN,              -- listed among the directive documents the unit issued in the period (section "Công tác chỉ đạo điều hành")
    mentions     INTEGER,              -- times cited in the report
    first_page   INTEGER,              -- 1-based page of the first mention
    date_raw     TEXT,                 -- date as printed, e.g. 31/02/2023
    date_valid   BOOLEAN,              -- false when printed but impossible
    context      TEXT,                 -- the sentence of the first mention
    issuer_raw   TEXT                  -- extra: the issuer as printed
);

-- grain: one row per statistical table row (per value cell when a table has several value columns)
CREATE TABLE IF NOT EXISTS indicators (
    report_id      TEXT NOT NULL,      -- the report (→ reports)
    section_code   TEXT,               -- section, e.g. III; for a form without Roman sections the table's number (1 for "Biểu mẫu 1")
    section_title  TEXT,               -- section title, e.g. Cải cách thủ tục hành chính; else the table's title
    item_code      TEXT,               -- the numbered item this row is or belongs to, e.g. 7
    indicator_name TEXT,               -- indicator name as printed, cleaned of markup/line breaks
    indicator_key  TEXT,               -- stable key of the indicator across reports, for history queries
    unit           TEXT,               -- unit of measure, e.g. Hồ sơ, %, Không = 0 Có = 1
    value_raw      TEXT,               -- value as printed, e.g. 2.844, 61,1%; empty when the cell is empty
    value_num      DOUBLE,             -- value as a number, e.g. 2844, 61.1; NULL when empty
    value_kind     TEXT,               -- number, percent, flag, empty or text
    note           TEXT,               -- the "Ghi chú" cell
    page           INTEGER,            -- page where the row starts
    seq            INTEGER,            -- extra: order of the row in the appendix
    bbox           STRUCT(x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE), -- extra: the row's box on `page`, in PDF points from the top-left corner
    confidence     DOUBLE,             -- extra: lowest OCR word confidence in the row (1 = text layer)
    table_label    TEXT,               -- the table's caption as printed, e.g. Biểu mẫu 1, Phụ lục, Bảng 2 (else the heading above it)
    row_code       TEXT,               -- the STT as printed, e.g. 7, 2.1., 3.3.1.; NULL when the row has none
    column_label   TEXT,               -- header of the value column the value comes from when the table has several (levels joined " / "); NULL for a single-value table
    indicator_name_raw TEXT,           -- extra: an OCR'd row's name as read, when the parser mended it (a known form's row, or syllables no Vietnamese word spells) or load snapped it to the name text-layer reports of the same form print; else NULL
    column_label_raw   TEXT            -- extra: an OCR'd row's column header as read, when it was mended or snapped likewise; else NULL
);

-- grain: one row per person in the staffing list
CREATE TABLE IF NOT EXISTS staff (
    report_id   TEXT NOT NULL,      -- the report (→ reports)
    group_label TEXT,               -- staffing group without its a) marker, e.g. Lãnh đạo phụ trách cải cách hành chính
    seq         INTEGER,            -- order of the person in the list, from 1
    full_name   TEXT,               -- full name, e.g. Huỳnh Đức
    position    TEXT,               -- position, e.g. Chủ tịch UBND huyện
    education   TEXT,               -- education, e.g. Đại học Luật
    phone       TEXT,               -- phone number, digits only (a salted hash in a redacted export)
    email       TEXT,               -- e-mail address (a salted hash in a redacted export)
    page        INTEGER,            -- page of the staffing list row
    confidence  DOUBLE              -- extra: lowest OCR word confidence in the row (1 = text layer)
);

-- extra; grain: one row per page of a loaded report: where its words came from
CREATE TABLE IF NOT EXISTS report_pages (
    report_id      TEXT NOT NULL,      -- the report (→ reports)
    page           INTEGER NOT NULL,   -- 1-based page number
    text_source    TEXT,               -- text, ocr, blank; none/garbled only if OCR was skipped
    dpi            INTEGER,            -- OCR render resolution
    skew_degrees   DOUBLE,             -- rotation applied to level the scan
    ocr_confidence DOUBLE              -- mean Tesseract word confidence, 0-1
);

-- extra; grain: one row per reporting unit seen in reports (rebuilt after every ingest)
CREATE TABLE IF NOT EXISTS units (
    unit_id      TEXT PRIMARY KEY,     -- stable id of province, level and name
    province     TEXT,                 -- province of the unit, e.g. Sóc Trăng
    unit_level   TEXT,                 -- huyện, thị xã, thành phố, tỉnh, xã, sở …
    unit_name    TEXT,                 -- e.g. Long Phú
    reports      INTEGER,              -- reports loaded for this unit
    first_period TEXT,                 -- earliest period reported on (→ periods)
    last_period  TEXT,                 -- latest period reported on (→ periods)
    register_id  TEXT,                 -- the unit in the official register (→ admin_units); NULL for a body it does not hold
    official_code TEXT,                -- official code of the unit, e.g. 946 (huyện Long Phú), 68 (tỉnh Lâm Đồng)
    official_level TEXT,               -- level in the register: tỉnh, thành phố, huyện, quận, thị xã, xã, phường, thị trấn, đặc khu
    official_name TEXT,                -- name in the register, e.g. Huyện Long Phú
    register_era  TEXT,                -- before_2025 (63 provinces, with districts) or from_2025 (34 provinces, no districts)
    province_code TEXT,                -- official code of its province (also for a body the register does not hold), e.g. 94
    successor_id  TEXT,                -- the province that holds its territory since 1 July 2025 (→ admin_units), e.g. from_2025/92; NULL for a unit of the new register
    successor_name TEXT                -- that province's name, e.g. Thành phố Cần Thơ
);

-- extra; grain: one row per unit of the official register that a loaded report names (its unit, its
-- province, their successor after 1 July 2025); from the vietnamadminunits package (extractors/adminunits.py)
CREATE TABLE IF NOT EXISTS admin_units (
    register_id  TEXT PRIMARY KEY,     -- era and official code, e.g. before_2025/94, from_2025/92
    code         TEXT,                 -- official code, e.g. 94
    level        TEXT,                 -- tỉnh, thành phố, huyện, quận, thị xã, xã, phường, thị trấn, đặc khu
    name         TEXT,                 -- short name, e.g. Sóc Trăng
    full_name    TEXT,                 -- e.g. Tỉnh Sóc Trăng
    era          TEXT,                 -- before_2025 or from_2025
    province_id  TEXT,                 -- its province (→ admin_units); NULL for a province
    successor_id TEXT,                 -- a before_2025 unit: the from_2025 province holding its territory (→ admin_units)
    register     TEXT                  -- the register package and version it came from
);

-- extra; grain: one row per period reported on (rebuilt after every ingest)
CREATE TABLE IF NOT EXISTS periods (
    period_id      TEXT PRIMARY KEY,   -- 2023-Q1, 2023-H1, 2023-9M, 2023 (year), 2025-M09 (a month)
    period_kind    TEXT,               -- quarter, half_year, nine_months, year, month
    period_year    INTEGER,            -- e.g. 2023
    period_quarter INTEGER,            -- 1-4 for quarters, else NULL
    starts_on      DATE,               -- first day of the period
    ends_on        DATE,               -- last day of the period
    sort_key       INTEGER             -- orders periods in time: year * 100 + last month covered
);

-- extra; grain: one row per indicator_key (rebuilt after every ingest)
CREATE TABLE IF NOT EXISTS indicator_catalog (
    indicator_key  TEXT PRIMARY KEY,   -- the key shared by this indicator in every report
    canonical_name TEXT,               -- the name most reports print
    section_code   TEXT,               -- section of the appendix, e.g. III
    item_code      TEXT,               -- item the row is or belongs to, most often printed
    unit           TEXT,               -- unit most often printed
    name_variants  TEXT[],             -- every distinct name printed for it
    reports        INTEGER,            -- reports that have it
    first_period   TEXT,               -- earliest period it appears in (→ periods)
    last_period    TEXT                -- latest period it appears in (→ periods)
);

-- grain: one row per file seen by each ingest run
CREATE TABLE IF NOT EXISTS ingest_files (
    run_id      TEXT NOT NULL,         -- the ingest run (→ ingest_runs)
    source_file TEXT NOT NULL,         -- path of the file relative to the archive root
    sha256      TEXT,                  -- hex digest of the file bytes; NULL when unreadable
    status      TEXT NOT NULL,         -- loaded, unchanged, duplicate, failed, not_a_report, missing (gone from the archive; pruned with --prune), skipped (the run stopped first)
    error       TEXT,                  -- one clear line for failed / not_a_report
    report_id   TEXT,                  -- the report, for loaded, unchanged, duplicate (→ reports)
    seconds     DOUBLE,                -- time spent on the file
    pages       INTEGER,               -- extra: number of pages of the file
    parser_version TEXT,               -- extra: version of the parsers that judged the file
    recorded_at TIMESTAMP,             -- extra: when this row was recorded
    replaces    TEXT                   -- extra: the report that this path of the same archive folder held before its bytes changed, replaced by this file's (→ reports, now gone); a file never replaces another archive's report
);

-- grain: one row per ingest run (extra)
CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id      TEXT PRIMARY KEY,      -- id of the ingest run
    archive     TEXT,                  -- the archive folder given to the run, resolved (bytes of a name that are not UTF-8 as \xNN); a report's file is in the archive of the last run that found its bytes
    started_at  TIMESTAMP,             -- when the run started
    finished_at TIMESTAMP,             -- when the run ended; NULL while running or after a crash
    outcome     TEXT,                  -- running, finished, interrupted (Ctrl-C, SIGTERM, or found still running by a later run), aborted
    reason      TEXT,                  -- why a run was interrupted or aborted, one line
    versions    TEXT                   -- JSON object: the versions of vn-reports, Python and each library (and Tesseract) that did the run
);

-- grain: one row per statistic stated in the body text (extractors/bodyfigures.py)
CREATE TABLE IF NOT EXISTS report_figures (
    report_id   TEXT NOT NULL,         -- the report (→ reports)
    seq         INTEGER,               -- order in the body
    topic       TEXT,                  -- extra: the appendix row the wording names (extractors/figures.py), e.g. 'hồ sơ đã giải quyết'; NULL for most
    level       TEXT,                  -- extra: huyện or xã when the text names the level of a topic figure; NULL otherwise
    value_num   DOUBLE,                -- the number, e.g. 3801402, 74.88, 13 (the numerator of a ratio)
    value_raw   TEXT,                  -- as printed, e.g. 3.801.402, 74,88%, 13/19
    page        INTEGER,               -- 1-based page of the number
    sentence    TEXT,                  -- the sentence stating it, cleaned of line breaks and footnote marks
    value_den   DOUBLE,                -- 19 for 13/19; NULL otherwise
    value_kind  TEXT,                  -- count, amount, percent, ratio
    measure     TEXT,                  -- what is counted, as printed after the number, e.g. lượt hồ sơ, nhiệm vụ, tỷ đồng
    as_of       DATE,                  -- the date the figure is stated for ("Tính đến ngày 15/8/2025"), else NULL
    figure_key  TEXT,                  -- stable key of the statistic across reports of one unit, for history queries
    bbox        STRUCT(x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE), -- position of the number on the page, in PDF points from the top-left corner
    topic_part  INTEGER,               -- extra: 1, 2 … for the parts of one topic figure printed as a sum ("1.638 hồ sơ trước hạn, 16 hồ sơ đúng hạn"); NULL otherwise
    link_method TEXT,                  -- extra: how figure_key was found in the unit's stored series: exact (the same statement), similar (a restatement: its stored key adopted), new (no stored statistic alike); a percentage computed from the ratio before it follows the ratio (its key is the ratio's and "~%")
    link_similarity DOUBLE             -- extra: the likeness (0..1) of the statement to the stored one whose key it took; 1 for exact, NULL for new
);

-- extra; grain: one row per finding of a data check (pipeline/store/checks.py); rebuilt after every ingest and by `vnreports check`
CREATE TABLE IF NOT EXISTS checks (
    report_id    TEXT NOT NULL,        -- the report checked (→ reports)
    rule         TEXT NOT NULL,        -- directive_count, parts_vs_total, on_time_exceeds_resolved, flag_domain, percent_over_100, body_vs_appendix, percent_vs_ratio
    severity     TEXT NOT NULL,        -- error: the rows cannot all be right as printed; warning: a disagreement that may have an explanation
    section_code TEXT,                 -- appendix section of the row found wrong, e.g. III
    item_code    TEXT,                 -- appendix item of that row, e.g. 7
    seq          INTEGER,              -- indicators.seq of that row (join on report_id, seq); report_figures.seq of the percentage for percent_vs_ratio
    subject      TEXT,                 -- indicator_name of that row
    expected     TEXT,                 -- what the other side implies, e.g. '<= 1.654', '= 394', 'in {0, 1}'
    found        DOUBLE,               -- the row's value_num (NULL for an unreadable code)
    message      TEXT,                 -- one line saying what disagrees with what, with pages
    page         INTEGER               -- page of the row found wrong, or of the body figure for body_vs_appendix
);
