"""Kategoriassistenten: retrieval, answers with verified citations, ambitionsgrafen and strategy drafts."""
