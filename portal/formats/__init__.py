"""Date and number formats for languages Django has none for (settings.FORMAT_MODULE_PATH)."""
