"""The roster feature: its page, models and dialogs."""
