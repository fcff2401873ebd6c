"""The incidents feature: its page, models and dialogs."""
