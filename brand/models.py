"""The brand, its partner organisations and member startups (issue #3)."""
