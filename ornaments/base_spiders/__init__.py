"""Base spiders: the get_by_year / get_by_url contract, and the XML and CSV feed bases."""
