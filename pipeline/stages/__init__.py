"""The stages of one file: discover → extract → parse → normalise → load, and the form template
builder. Each is a function from typed records to typed records.

May import store/, pages/, extractors/ and pipeline.errors; never run/, outputs/ or the CLI.
"""
