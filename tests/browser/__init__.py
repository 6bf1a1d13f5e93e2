# The editor tests/browser/seed.py creates and tests/browser/test_admin.py logs in as.
EDITOR_USERNAME = "browser-editor"
EDITOR_PASSWORD = "browser-editor-password-2026"
