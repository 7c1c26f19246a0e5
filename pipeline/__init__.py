"""Stages, orchestration and command line of the BC-UBND report pipeline."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("vn-reports")
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"
