"""Releases from a host: the downloader, one-file transfers, and the analysts' loader."""
