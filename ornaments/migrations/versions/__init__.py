"""Revisions, one module each (0001 = the schema of commit 41c81a7, before Alembic). A package so that
find_packages() ships it inside the Scrapyd egg."""
