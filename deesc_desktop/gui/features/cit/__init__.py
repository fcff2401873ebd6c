"""The cit feature: its page, models and dialogs."""
