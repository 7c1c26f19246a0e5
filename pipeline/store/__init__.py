"""Storage: the DuckDB connection, schema and migrations, typed rows and their writes, versions,
the data checks and their table.

May import extractors/ and pipeline.errors; never pages/, stages/, run/, outputs/ or the CLI.
"""
