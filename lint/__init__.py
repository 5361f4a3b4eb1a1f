"""clinic-lint: a linter for health-care marketing copy."""

__version__ = "0.1.0"
