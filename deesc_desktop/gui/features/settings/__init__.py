"""The settings feature: its page, models and dialogs."""
