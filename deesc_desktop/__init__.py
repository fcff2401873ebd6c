"""deesc-desktop: offline training records, compliance, CIT and bonus claims for police agencies."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("deesc-desktop")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
