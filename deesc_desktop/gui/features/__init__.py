"""The features of the GUI, one folder each: its page, table models and dialogs."""
