"""Scrapy's log lines, less one DEBUG line per scraped item: building it (a repr of every item)
costs more than the rest of a feed record's processing, and the run summary gives the counts.
Dropped items are logged at most MAX_LOG_LINES_PER_KIND times per reason, so a feed of a million
bad records keeps a short log; the stats count every one."""

import re

from scrapy.logformatter import LogFormatter

from ornaments.base_spiders.base import MAX_LOG_LINES_PER_KIND

_REASON = re.compile(r"\((\w+)\)$")


class QuietItemsLogFormatter(LogFormatter):
    def __init__(self) -> None:
        super().__init__()
        self._dropped: dict[str, int] = {}

    def scraped(self, item, response, spider):
        return None

    def dropped(self, item, exception, response, spider):
        match = _REASON.search(str(exception))
        reason = match.group(1) if match else type(exception).__name__
        count = self._dropped[reason] = self._dropped.get(reason, 0) + 1
        if count > MAX_LOG_LINES_PER_KIND + 1:
            return None
        entry = super().dropped(item, exception, response, spider)
        if count == MAX_LOG_LINES_PER_KIND + 1:
            entry = dict(entry, msg="More items dropped for %(reason)s than %(limit)d: further ones are counted "
                         "in the stats, not logged.", args={"reason": reason, "limit": MAX_LOG_LINES_PER_KIND})
        return entry
