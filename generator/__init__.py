"""Signpost: turns a folder of curated entries into a static, searchable directory site."""
