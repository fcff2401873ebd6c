"""The course files feature: its page, models and dialogs."""
