"""The claims feature: its page, models and dialogs."""
