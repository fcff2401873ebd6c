"""The training due feature: its page, models and dialogs."""
