"""ornaments: keep affiliate shops' product catalogs in sync with our own database."""

__version__ = "1.0.0"
