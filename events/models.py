"""The ecosystem calendar (issue #4)."""
