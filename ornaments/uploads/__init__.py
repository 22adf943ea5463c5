"""Uploading image files over sFTP, without Scrapy: config, safe paths, the connection, the upload run."""

from ornaments.uploads.config import ConfigError, SftpConfig
from ornaments.uploads.paths import UnsafePath, remote_path, safe_relative_path

__all__ = ["ConfigError", "SftpConfig", "UnsafePath", "remote_path", "safe_relative_path"]
