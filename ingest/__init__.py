"""Ingestion: source files → cleaned text with pages and sections → chunks → the index."""
