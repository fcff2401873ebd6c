"""The reports feature: its page, models and dialogs."""
