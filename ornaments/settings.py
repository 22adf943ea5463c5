"""Scrapy settings for ornaments.

Every setting a deployment may need to change is read from the environment here, once, so that a
Scrapyd node's environment configures deployed runs. Secrets are never given defaults in this file.
"""

import os

from scrapy.settings import default_settings as scrapy_defaults

from ornaments import __version__
from ornaments.env import env_flag, env_float, env_int, env_json
from ornaments.fields import EXPORT_FIELDS

BOT_NAME = "ornaments"
SPIDER_MODULES = ["ornaments.spiders"]
NEWSPIDER_MODULE = "ornaments.spiders"
COMMANDS_MODULE = "ornaments.commands"

# --- Politeness -------------------------------------------------------------------------------
# An honest User-Agent that names the project and says how to reach its operator.
USER_AGENT = os.environ.get(
    "ORNAMENTS_USER_AGENT",
    f"ornaments-catalog-sync/{__version__} (+{os.environ.get('ORNAMENTS_CONTACT', 'https://github.com/ornaments/ornaments')})",
)
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
DOWNLOAD_TIMEOUT = 60
# Feeds can be large; warn only above this size, refuse above DOWNLOAD_MAXSIZE (Scrapy default 1 GiB).
DOWNLOAD_WARNSIZE = 512 * 1024 * 1024

# Feeds are streamed to disk (file:// read in place, http(s) written to a temporary file) and parsed
# from there, in flat memory (ornaments/feed_download.py); other requests are downloaded as usual.
DOWNLOAD_HANDLERS = {
    "file": "ornaments.feed_download.FeedFileDownloadHandler",
    "http": "ornaments.feed_download.FeedHttpDownloadHandler",
    "https": "ornaments.feed_download.FeedHttpDownloadHandler",
}
# Where http(s) feeds are written while they are read (empty: the system's temporary directory).
ORNAMENTS_FEED_TMPDIR = os.environ.get("ORNAMENTS_FEED_TMPDIR", "")

# --- Retries: bounded, with exponential backoff ------------------------------------------------
RETRY_ENABLED = True
RETRY_TIMES = env_int("ORNAMENTS_RETRY_TIMES", 4)
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = env_float("ORNAMENTS_RETRY_BACKOFF_BASE", 0.5)
RETRY_BACKOFF_MAX = env_float("ORNAMENTS_RETRY_BACKOFF_MAX", 30)
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "ornaments.middlewares.BackoffRetryMiddleware": 550,
    # Outside the retry middleware: sees what failed for good, and marks the run incomplete.
    "ornaments.middlewares.FailureAccounting": 50,
    # Inside it: sees every failed DNS lookup, and gives up a host that never resolves (no retries).
    "ornaments.unresolvable_hosts.UnresolvableHostMiddleware": 555,
    # Scrapy's, fixed: every request waiting for a host's robots.txt obeys it (ornaments.scrapy_compat).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "ornaments.scrapy_compat.RobotsTxtMiddleware": 100,
}
# After this many failed lookups of one host name (retries count), no further request goes to that host
# for the rest of the run (ornaments/unresolvable_hosts.py); 0 turns it off.
ORNAMENTS_DNS_FAILURES_PER_HOST = env_int("ORNAMENTS_DNS_FAILURES_PER_HOST", 3)

# --- Pipelines ---------------------------------------------------------------------------------
ITEM_PIPELINES = {
    "ornaments.pipelines.validate.ValidationPipeline": 100,
    "ornaments.pipelines.dedupe.DedupePipeline": 200,
    "ornaments.pipelines.affiliate.AffiliateLinkPipeline": 250,  # off unless ORNAMENTS_AFFILIATE_LINKS is set
    "ornaments.pipelines.images.ProductImagesPipeline": 300,
    "ornaments.pipelines.store.StorePipeline": 400,
    "ornaments.pipelines.sftp.SftpUploadPipeline": 500,
}

# Items that pass every pipeline are counted by the manager (item_scraped_count), not by a receiver of
# the per-item item_scraped signal, which costs 17 µs per item (ornaments/pipelines/manager.py).
ITEM_PROCESSOR = "ornaments.pipelines.manager.CountingItemPipelineManager"

# Scrapy's base extensions but remote control, which is off (REMOTE_CONTROL_ENABLED below): Scrapy imports
# every listed extension, even one set to None, and this one's aiohttp costs each crawl 0.15 s to import.
EXTENSIONS_BASE = {name: order for name, order in scrapy_defaults.EXTENSIONS_BASE.items()
                   if name != "scrapy.extensions.remote_control.RemoteControl"}
EXTENSIONS = {
    "scrapy.extensions.corestats.CoreStats": None,
    "ornaments.extensions.corestats.CoreStats": 0,
    "ornaments.extensions.progress.FeedProgress": 500,
    # Off (NotConfigured) unless ORNAMENTS_ALERT_WEBHOOK or ORNAMENTS_ALERT_EMAIL is set.
    "ornaments.extensions.alerts.RunAlerts": 510,
    "ornaments.extensions.gc_tuning.GcTuning": 520,
}
# The cyclic garbage collector while a spider runs (ornaments/extensions/gc_tuning.py): the set-up is
# frozen out of its sight, and young collections run every ORNAMENTS_GC_THRESHOLD allocations (0: Python's 700).
ORNAMENTS_GC_FREEZE = env_flag("ORNAMENTS_GC_FREEZE", True)
ORNAMENTS_GC_THRESHOLD = env_int("ORNAMENTS_GC_THRESHOLD", 20000)

# --- Alerts (README "Alerts") -------------------------------------------------------------------
# A run that ends other than finished/partial, or whose removals a guard held back, is reported by a
# JSON POST (Slack-compatible) and/or an e-mail. Secrets (the webhook URL, the password inside
# ORNAMENTS_SMTP_URL) come only from the environment and have no defaults.
# The alert webhook's URL (a secret: a Slack incoming-webhook URL is a credential).
ORNAMENTS_ALERT_WEBHOOK = os.environ.get("ORNAMENTS_ALERT_WEBHOOK", "")
ORNAMENTS_ALERT_EMAIL = os.environ.get("ORNAMENTS_ALERT_EMAIL", "")  # comma-separated recipients
ORNAMENTS_SMTP_URL = os.environ.get("ORNAMENTS_SMTP_URL", "")  # smtp://user:pass@host:587?starttls=1, smtps://...
ORNAMENTS_ALERT_FROM = os.environ.get("ORNAMENTS_ALERT_FROM", "")
ORNAMENTS_ALERT_RETRIES = env_int("ORNAMENTS_ALERT_RETRIES", 3)
ORNAMENTS_ALERT_BACKOFF = env_float("ORNAMENTS_ALERT_BACKOFF", 2)
ORNAMENTS_ALERT_TIMEOUT = env_float("ORNAMENTS_ALERT_TIMEOUT", 10)

# --- Storage -----------------------------------------------------------------------------------
# SQLite by default so the quick start needs no server; DATABASE_URL selects PostgreSQL, e.g.
# postgresql+psycopg2://postgres@127.0.0.1:5432/test
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///ornaments.sqlite3")
ORNAMENTS_STORAGE_ENABLED = env_flag("ORNAMENTS_STORAGE_ENABLED", True)
# 5000: per-batch costs (a transaction, a round trip to the worker) made 2000-row batches hold the crawl back
# (bench/feed_sync.py: 10 s of a 12 s 100k sync spent waiting for storage; 0.8 s with 5000).
ORNAMENTS_BATCH_SIZE = env_int("ORNAMENTS_BATCH_SIZE", 5000)
ORNAMENTS_BATCH_SECONDS = env_float("ORNAMENTS_BATCH_SECONDS", 5)
# Batches are written by a separate process, so storage does not take turns with the crawl for the GIL;
# 0 writes them in a thread of the crawl process instead.
ORNAMENTS_STORAGE_PROCESS = env_flag("ORNAMENTS_STORAGE_PROCESS", True)
# PostgreSQL: worker processes writing batches side by side, each on its own connection (SQLite: always 1).
ORNAMENTS_STORAGE_WRITERS = env_int("ORNAMENTS_STORAGE_WRITERS", 2)
# The workers' niceness (0-19): the crawl reads the feed on one core and is the bottleneck, so on a busy
# machine it takes the CPU first and the workers use what is left (backpressure bounds what waits).
ORNAMENTS_STORAGE_NICE = env_int("ORNAMENTS_STORAGE_NICE", 10)
# A database that is away (restart, failover) is retried for ORNAMENTS_DB_RETRY_SECONDS per batch, with
# backoff doubling from ORNAMENTS_DB_BACKOFF up to ORNAMENTS_DB_MAX_BACKOFF; the crawl waits meanwhile.
# ORNAMENTS_DB_RETRIES > 0 also caps the number of tries (0: the time budget alone).
ORNAMENTS_DB_RETRY_SECONDS = env_float("ORNAMENTS_DB_RETRY_SECONDS", 300)
ORNAMENTS_DB_RETRIES = env_int("ORNAMENTS_DB_RETRIES", 0)
ORNAMENTS_DB_BACKOFF = env_float("ORNAMENTS_DB_BACKOFF", 0.5)
ORNAMENTS_DB_MAX_BACKOFF = env_float("ORNAMENTS_DB_MAX_BACKOFF", 10)
# A server that is down when a run starts is waited for this long (one "waiting for the database" line),
# then the run fails (exit 5). A wrong password, database or role fails at once: no retry can fix those.
ORNAMENTS_DB_START_WAIT = env_float("ORNAMENTS_DB_START_WAIT", 30)
# Link every product a crawl stores to its cross-shop catalogue item (docs/catalogue.md); 0 turns it off.
ORNAMENTS_CATALOGUE = env_flag("ORNAMENTS_CATALOGUE", True)
# Fields whose old and new values go to the product_changes log (price always goes to price_history).
ORNAMENTS_CHANGE_LOG_FIELDS = [
    f for f in os.environ.get("ORNAMENTS_CHANGE_LOG_FIELDS", "availability,name").split(",") if f.strip()
]
# Feeds with several prices per product keep one: the first currency of this list that the product
# has, else the first price listed.
ORNAMENTS_CURRENCY_PREFERENCE = os.environ.get("ORNAMENTS_CURRENCY_PREFERENCE", "USD,EUR").split(",")
ORNAMENTS_PROGRESS_INTERVAL = env_float("ORNAMENTS_PROGRESS_INTERVAL", 10)

# --- Run checks and the removal guard (ornaments.runs, ornaments.storage.removal) ----------------
# A clean run that did not see more than this share of its scope's live products removes nothing and
# ends "suspect"; 1 switches the guard off (accepting a big removal: -s ORNAMENTS_MAX_REMOVAL_SHARE=1).
ORNAMENTS_MAX_REMOVAL_SHARE = env_float("ORNAMENTS_MAX_REMOVAL_SHARE", 0.2)
# ...nor one that saw fewer products than this share of the median of its scope's last 5 finished runs.
ORNAMENTS_MIN_SEEN_RATIO = env_float("ORNAMENTS_MIN_SEEN_RATIO", 0.5)
# ...nor one whose removals would leave its scope more than ORNAMENTS_MAX_REMOVAL_SHARE below the largest
# live size its last N runs, or its runs of the last D days, recorded (erosion run by run); 0 and 0: off.
ORNAMENTS_REMOVAL_WINDOW_RUNS = env_int("ORNAMENTS_REMOVAL_WINDOW_RUNS", 10, minimum=0)
# ...and the days of that window (see ORNAMENTS_REMOVAL_WINDOW_RUNS).
ORNAMENTS_REMOVAL_WINDOW_DAYS = env_float("ORNAMENTS_REMOVAL_WINDOW_DAYS", 7, minimum=0)
# A product is marked removed once this many consecutive clean runs missed it.
ORNAMENTS_REMOVE_AFTER_MISSES = env_int("ORNAMENTS_REMOVE_AFTER_MISSES", 1)
# A run dropping more than this share of its records (duplicates aside) is "suspect".
ORNAMENTS_MAX_DROP_SHARE = env_float("ORNAMENTS_MAX_DROP_SHARE", 0.1)
# Least share of items having a field, e.g. {"price": 0.9} (JSON in the environment); fields: price, sku, year, image.
ORNAMENTS_COVERAGE_MIN = env_json("ORNAMENTS_COVERAGE_MIN", "{}")
# A "running" run of another host is marked abandoned this long after it started (no sync takes two days),
# and so is a "queued" one whose crawl never started.
ORNAMENTS_ABANDONED_AFTER_HOURS = env_float("ORNAMENTS_ABANDONED_AFTER_HOURS", 48)

# --- Images and sFTP upload (README "Images and sFTP") ----------------------------------------------
# Stored as <vendor>/full/<sha1 of URL>.jpg (+ thumbs/<name>/...); not downloaded again for IMAGES_EXPIRES days.
IMAGES_STORE = os.environ.get("IMAGES_STORE", "images/")
IMAGES_EXPIRES = env_int("IMAGES_EXPIRES", 90)
# IMAGES_THUMBS="small:200x200,large:600x600" ("" for none)
IMAGES_THUMBS = {
    name.strip(): tuple(int(n) for n in size.lower().split("x"))
    for name, _, size in (part.partition(":") for part in os.environ.get("IMAGES_THUMBS", "small:200x200").split(","))
    if name.strip()
}
MEDIA_ALLOW_REDIRECTS = True  # shops serve images through CDN redirects
# With no SFTP_HOST the upload is off. Secrets (SFTP_PASSWORD, SFTP_KEY_FILE) come only from the environment.
SFTP_HOST = os.environ.get("SFTP_HOST", "")
SFTP_PORT = env_int("SFTP_PORT", 22)
SFTP_USER = os.environ.get("SFTP_USER", "")
SFTP_KEY_FILE = os.environ.get("SFTP_KEY_FILE")
# The sFTP password (a secret: environment only, no default); SFTP_KEY_FILE instead is better.
SFTP_PASSWORD = os.environ.get("SFTP_PASSWORD")
# The sFTP server's host key is checked against this file (empty: the default).
SFTP_KNOWN_HOSTS = os.environ.get("SFTP_KNOWN_HOSTS") or "~/.ssh/known_hosts"
# The remote directory images are uploaded to (empty: the default).
SFTP_REMOTE_DIR = os.environ.get("SFTP_REMOTE_DIR") or "images"
IMAGES_BASE_URL = os.environ.get("IMAGES_BASE_URL", "")
SFTP_CHANNELS = env_int("SFTP_CHANNELS", 4)
SFTP_RETRIES = env_int("SFTP_RETRIES", 5)
SFTP_BACKOFF = env_float("SFTP_BACKOFF", 1.0)
SFTP_MAX_BACKOFF = env_float("SFTP_MAX_BACKOFF", 30)
SFTP_TIMEOUT = env_float("SFTP_TIMEOUT", 30)
SFTP_KEEPALIVE = env_int("SFTP_KEEPALIVE", 15)

# --- Feed export -------------------------------------------------------------------------------
# The product's fields (ornaments.fields), then the stored image paths.
FEED_EXPORT_FIELDS = list(EXPORT_FIELDS)
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORTERS = {
    "csv": "ornaments.exporters.ProductCsvItemExporter",
}
# One file per run. Set ORNAMENTS_EXPORT_URI to "" to switch it off.
_export_uri = os.environ.get("ORNAMENTS_EXPORT_URI", "exports/%(name)s/%(time)s.jsonl")
FEEDS = {_export_uri: {"format": os.environ.get("ORNAMENTS_EXPORT_FORMAT", "jsonlines")}} if _export_uri else {}

# --- Engine ------------------------------------------------------------------------------------
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_STORAGE_FILE_OVERWRITE = True
LOG_LEVEL = os.environ.get("ORNAMENTS_LOG_LEVEL", "INFO")
TELNETCONSOLE_ENABLED = False
LOG_FORMATTER = "ornaments.logformatter.QuietItemsLogFormatter"
# Scrapy 2.19 opens a remote-control HTTP port by default; a sync job needs none.
REMOTE_CONTROL_ENABLED = False

# --- Browser rendering (vendor spiders) ------------------------------------------------------------
# Only the hallmark_ornaments spider renders pages (its own custom_settings switch scrapy-playwright on);
# it launches this Chromium, as Playwright cannot download its own browsers here.
PLAYWRIGHT_CHROMIUM_EXECUTABLE = (os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE")
                                  or os.environ.get("ORNAMENTS_CHROMIUM", "/usr/bin/chromium"))

# --- JSON APIs (README "JSON APIs, Shopify and WooCommerce") -----------------------------------------
# The offers service the offers_api spider polls (-a base_url overrides it).
ORNAMENTS_OFFERS_API_URL = os.environ.get("ORNAMENTS_OFFERS_API_URL", "")
# The offers service's key (a secret: from the environment only, no default; the spider's auth_env names it).
ORNAMENTS_OFFERS_API_KEY = os.environ.get("ORNAMENTS_OFFERS_API_KEY", "")

# --- Feeds -------------------------------------------------------------------------------------
# Where each feed spider reads its feed: spider name -> URL or path. -a feed=... overrides it for
# one run. Relative paths are read from ORNAMENTS_FEEDS_DIR.
ORNAMENTS_FEEDS = {
    name[len("ORNAMENTS_FEED_"):].lower(): value
    for name, value in os.environ.items() if name.startswith("ORNAMENTS_FEED_") and value
}
ORNAMENTS_FEEDS_DIR = os.environ.get("ORNAMENTS_FEEDS_DIR", "feeds")
# CSV damage bounds: a field larger than this (characters), or more malformed rows than this, is damage:
# the run is incomplete and removes nothing.
ORNAMENTS_CSV_MAX_FIELD = env_int("ORNAMENTS_CSV_MAX_FIELD", 1024 * 1024)
ORNAMENTS_CSV_MAX_MALFORMED = env_int("ORNAMENTS_CSV_MAX_MALFORMED", 1000)

# --- S3 drop folders (scrapy crawl s3_drop; README "Partner drop folders on S3") ------------------
# The standard AWS variables, so any S3-compatible store works. The keys (AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY) are read from the environment by botocore itself, never copied into settings:
# they are Scrapy settings, and Scrapy logs those that differ from its defaults at start.
# An S3-compatible store's address (empty: AWS itself).
AWS_ENDPOINT_URL = os.environ.get("AWS_ENDPOINT_URL") or None
# The S3 region (empty: botocore's own choice).
AWS_REGION_NAME = os.environ.get("AWS_DEFAULT_REGION") or None
# The partner's files are whole catalogues: a clean run removes what its files did not list. Off:
# files are changes, and nothing is ever removed.
ORNAMENTS_S3_FULL_CATALOGUE = env_flag("ORNAMENTS_S3_FULL_CATALOGUE", False)
ORNAMENTS_S3_MAX_ATTEMPTS = env_int("ORNAMENTS_S3_MAX_ATTEMPTS", 3)  # then left failed
ORNAMENTS_S3_RETRIES = env_int("ORNAMENTS_S3_RETRIES", 5)  # botocore tries per S3 call
ORNAMENTS_S3_TIMEOUT = env_float("ORNAMENTS_S3_TIMEOUT", 30)
ORNAMENTS_S3_CLAIM_TIMEOUT_HOURS = env_float("ORNAMENTS_S3_CLAIM_TIMEOUT_HOURS", 6)
# `scrapy s3events`: the bearer token S3 notifications must carry (a secret: environment only, no default).
ORNAMENTS_S3_EVENTS_SECRET = os.environ.get("ORNAMENTS_S3_EVENTS_SECRET", "")

# --- Schema and webhooks (README "Change events and webhooks") -----------------------------------
# A crawl refuses a database whose schema is behind the code (`scrapy db upgrade` fixes it); 1 lets
# crawls upgrade it themselves. An empty database is always created.
ORNAMENTS_DB_AUTO_UPGRADE = env_flag("ORNAMENTS_DB_AUTO_UPGRADE", False)
# `scrapy webhooks deliver`: batch size, HTTP timeout (s), idle poll (s), retries before an endpoint is
# paused, backoff between them (s, doubling, with jitter, capped): by default about a day of retries.
ORNAMENTS_WEBHOOK_BATCH_SIZE = env_int("ORNAMENTS_WEBHOOK_BATCH_SIZE", 100)
ORNAMENTS_WEBHOOK_TIMEOUT = env_float("ORNAMENTS_WEBHOOK_TIMEOUT", 10)
ORNAMENTS_WEBHOOK_POLL = env_float("ORNAMENTS_WEBHOOK_POLL", 2)
ORNAMENTS_WEBHOOK_MAX_ATTEMPTS = env_int("ORNAMENTS_WEBHOOK_MAX_ATTEMPTS", 30)
ORNAMENTS_WEBHOOK_BACKOFF = env_float("ORNAMENTS_WEBHOOK_BACKOFF", 10)
ORNAMENTS_WEBHOOK_MAX_BACKOFF = env_float("ORNAMENTS_WEBHOOK_MAX_BACKOFF", 3600)
ORNAMENTS_WEBHOOK_CONCURRENCY = env_int("ORNAMENTS_WEBHOOK_CONCURRENCY", 4)  # endpoints at once
# The Fernet key that encrypts endpoint secrets in the database (a secret: environment only, no default).
ORNAMENTS_WEBHOOK_KEY = os.environ.get("ORNAMENTS_WEBHOOK_KEY", "")

# --- HTTP API and pages (ornaments.api; README "HTTP API and pages") ---------------------------------
# `scrapy api` / `python -m ornaments.api`.
# Signs the pages' login cookies (a secret: environment only; random per process when unset).
ORNAMENTS_API_SESSION_SECRET = os.environ.get("ORNAMENTS_API_SESSION_SECRET", "")
ORNAMENTS_API_HOST = os.environ.get("ORNAMENTS_API_HOST", "127.0.0.1")
ORNAMENTS_API_PORT = env_int("ORNAMENTS_API_PORT", 8000)
# Uploaded feeds are kept here, one directory per run (the file, the crawl's log, its progress).
ORNAMENTS_IMPORTS_DIR = os.environ.get("ORNAMENTS_IMPORTS_DIR", "imports")
# An upload larger than this is refused (413), as soon as its Content-Length or its bytes say so.
ORNAMENTS_API_MAX_UPLOAD_MB = env_float("ORNAMENTS_API_MAX_UPLOAD_MB", 1024)
# The file of an import whose run did not end finished or partial is deleted this long after (0: at once).
ORNAMENTS_API_KEEP_FAILED_UPLOADS_HOURS = env_float("ORNAMENTS_API_KEEP_FAILED_UPLOADS_HOURS", 0)
ORNAMENTS_API_MAX_IMPORTS = env_int("ORNAMENTS_API_MAX_IMPORTS", 2)  # crawls of uploads at once
ORNAMENTS_API_PROGRESS_INTERVAL = env_float("ORNAMENTS_API_PROGRESS_INTERVAL", 1)
# What starts an upload's `scrapy crawl` on this host: the object path of a function (command, env, cwd,
# log) -> a process the API watches (pid, poll, wait). The default starts `python -m scrapy` with subprocess;
# the tests point it at a fork of a process with the libraries imported (tests/scrapy_fork.py).
ORNAMENTS_API_IMPORT_LAUNCHER = os.environ.get("ORNAMENTS_API_IMPORT_LAUNCHER",
                                               "ornaments.api.imports.start_process")
ORNAMENTS_API_SESSION_HOURS = env_float("ORNAMENTS_API_SESSION_HOURS", 12)
# The login cookie is Secure (sent over HTTPS only) unless this is 0, for plain http on one machine.
ORNAMENTS_API_SECURE_COOKIES = env_flag("ORNAMENTS_API_SECURE_COOKIES", True)
# A client that sent this many wrong keys within ORNAMENTS_API_AUTH_WINDOW seconds gets 429 until the window passes.
ORNAMENTS_API_AUTH_FAILURES = env_int("ORNAMENTS_API_AUTH_FAILURES", 10)
ORNAMENTS_API_AUTH_WINDOW = env_float("ORNAMENTS_API_AUTH_WINDOW", 60)
ORNAMENTS_API_DB_TRIES = env_int("ORNAMENTS_API_DB_TRIES", 3)
# A crawl writes its progress figures to this file (the API sets it for uploads); "" for none.
ORNAMENTS_PROGRESS_FILE = os.environ.get("ORNAMENTS_PROGRESS_FILE", "")

# --- Scrapyd and schedules (README "Scrapyd and schedules") -------------------------------------
# Scrapyd nodes, comma-separated: where `scrapy schedules`, `scrapy s3events` and the API's imports post runs
# (parsed by ornaments.scheduling.client.scrapyd_nodes; empty: the commands' default node, imports run locally).
SCRAPYD_NODES = os.environ.get("SCRAPYD_NODES", "")
# The Scrapyd project the runs are posted to.
SCRAPYD_PROJECT = os.environ.get("SCRAPYD_PROJECT", "ornaments")
# Scrapyd's basic-auth user (empty: no auth).
SCRAPYD_USERNAME = os.environ.get("SCRAPYD_USERNAME", "")
# Scrapyd's password (a secret: environment only, no default).
SCRAPYD_PASSWORD = os.environ.get("SCRAPYD_PASSWORD", "")
# The schedule file (empty: the packaged ornaments/schedules.toml); --file overrides it.
ORNAMENTS_SCHEDULES = os.environ.get("ORNAMENTS_SCHEDULES", "")
# The scheduler's state file (empty: .scrapy/schedules/state.sqlite3 in the project); --state overrides it.
ORNAMENTS_SCHEDULER_STATE = os.environ.get("ORNAMENTS_SCHEDULER_STATE", "")

# --- Affiliate networks (docs/affiliate-networks.md) ------------------------------------------------
# Our publisher ids at the networks: the awinaffid of Awin links, the CJ PID, the Rakuten publisher id.
ORNAMENTS_AWIN_PUBLISHER_ID = os.environ.get("ORNAMENTS_AWIN_PUBLISHER_ID", "")
# The CJ PID (website id) of CJ deep links.
ORNAMENTS_CJ_PUBLISHER_ID = os.environ.get("ORNAMENTS_CJ_PUBLISHER_ID", "")
# The Rakuten Advertising publisher id (the 11-character id= of deep links).
ORNAMENTS_RAKUTEN_PUBLISHER_ID = os.environ.get("ORNAMENTS_RAKUTEN_PUBLISHER_ID", "")
# Per-vendor link templates for shops we scrape: {"vendor": {"network": "awin", "advertiser_id": "1234"}}.
ORNAMENTS_AFFILIATE_LINKS = env_json("ORNAMENTS_AFFILIATE_LINKS", "{}")
# The Impact account SID of the Catalog Items API (an account id; the auth token below is the secret).
ORNAMENTS_IMPACT_ACCOUNT_SID = os.environ.get("ORNAMENTS_IMPACT_ACCOUNT_SID", "")
# The Impact auth token (a secret).
ORNAMENTS_IMPACT_AUTH_TOKEN = os.environ.get("ORNAMENTS_IMPACT_AUTH_TOKEN", "")
# The CJ developer key (personal access token) of the product-search API (a secret).
ORNAMENTS_CJ_API_KEY = os.environ.get("ORNAMENTS_CJ_API_KEY", "")
# Link checks (scrapy crawl linkcheck): a vendor whose share of links that do not earn passes this is alerted.
ORNAMENTS_LINKCHECK_ALERT_SHARE = env_float("ORNAMENTS_LINKCHECK_ALERT_SHARE", 0.2, minimum=0, maximum=1)
# Seconds one hop of a link check may take (a slow host is a broken link, not a stuck run).
ORNAMENTS_LINKCHECK_TIMEOUT = env_float("ORNAMENTS_LINKCHECK_TIMEOUT", 20.0, minimum=0.1)
# Redirects one link check follows at most (a longer chain is a broken link).
ORNAMENTS_LINKCHECK_MAX_HOPS = env_int("ORNAMENTS_LINKCHECK_MAX_HOPS", 10, minimum=1)
# A vendor's broken share is judged (and alerted) only once at least this many of its links were checked.
ORNAMENTS_LINKCHECK_ALERT_MIN = env_int("ORNAMENTS_LINKCHECK_ALERT_MIN", 5, minimum=1)
# Tracking domains beyond the networks' known redirectors (a brand's Impact domain: goto.walmart.com), comma-separated.
ORNAMENTS_LINKCHECK_NETWORK_HOSTS = os.environ.get("ORNAMENTS_LINKCHECK_NETWORK_HOSTS", "")
