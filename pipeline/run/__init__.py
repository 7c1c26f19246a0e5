"""The run: one ingest from folder to database — workers or a Dask cluster, per-file limits,
signals, the database lock, the benchmark.

May import stages/, store/, pages/, extractors/ and pipeline.errors; never outputs/ or the CLI.
"""
