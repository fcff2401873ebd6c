"""The compliance feature: its page, models and dialogs."""
