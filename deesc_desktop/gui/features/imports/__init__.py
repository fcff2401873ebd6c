"""The imports feature: its page, models and dialogs."""
