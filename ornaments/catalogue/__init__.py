"""The cross-shop catalogue's pure logic (issue 23): reading manufacturer item numbers and GTINs, the
words that make a different product, and the matching ladder's decisions. No storage here: the tables
and the batch hook are ornaments/storage/catalogue.py."""
