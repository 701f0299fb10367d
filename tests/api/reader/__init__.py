"""Tests of the reader's pages (api/reader)."""
