"""Page readers: the only code that turns PDF pages into words and rules (text layer, OCR,
rasterising, seal whitening).

May import extractors/ and pipeline.errors; never stages/, store/, run/, outputs/ or the CLI.
"""
