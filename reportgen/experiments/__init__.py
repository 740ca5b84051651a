"""Experiments as configuration: TOML files, the runner that trains them, and its cache."""
from .config import ConfigError, Experiment, load_all, load_report_metadata

__all__ = ["ConfigError", "Experiment", "load_all", "load_report_metadata"]
