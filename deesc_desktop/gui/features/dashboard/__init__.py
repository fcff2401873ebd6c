"""The dashboard feature: its page, models and dialogs."""
