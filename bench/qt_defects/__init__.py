"""Reproducers of defects in the Qt binding, kept to show why the pins and designs exist."""
