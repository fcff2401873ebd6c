"""The audit feature: its page, models and dialogs."""
