"""What researchers read: the query sandbox, Parquet export, the data dictionary, the review
site, debug images, text printed safely to a terminal.

May import every room below it (run/, stages/, store/, pages/) and extractors/; never the CLI.
"""
