"""Named errors. The CLI and the ledger turn each into one line of text."""

from __future__ import annotations


class PipelineError(Exception):
    """Base of every error this package raises on purpose."""

    status = "failed"


class UnreadableFile(PipelineError):
    """The file is empty, truncated, not a PDF, or cannot be opened."""


class EncryptedPDF(PipelineError):
    """The PDF needs a password."""


class NoTextLayer(PipelineError):
    """Pages without a usable text layer, and no OCR to read them."""


class NotAReport(PipelineError):
    """A readable PDF that is not a report (a Tờ trình, a Thông báo …)."""

    status = "not_a_report"
