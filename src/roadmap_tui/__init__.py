"""roadmap-tui: align a product roadmap with MLOps capabilities, live, in a terminal."""

__version__ = "0.1.0"
