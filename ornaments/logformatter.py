"""Scrapy's log lines, less one DEBUG line per scraped item: building it (a repr of every item)
costs more than the rest of a feed record's processing, and the run summary gives the counts."""

from scrapy.logformatter import LogFormatter


class QuietItemsLogFormatter(LogFormatter):
    def scraped(self, item, response, spider):
        return None
