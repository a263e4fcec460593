"""redcaplint: a linter for scripts that talk to the REDCap API."""

__version__ = "0.1.0"
