"""The GUI's dialogs: officer, separation, class, training record, leave, officer details."""
