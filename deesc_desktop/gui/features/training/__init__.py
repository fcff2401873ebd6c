"""The training feature: its page, models and dialogs."""
