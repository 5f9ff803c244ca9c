"""Releases: where they live (store), how they are written, cut, compared and verified."""
