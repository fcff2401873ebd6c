"""deesc-desktop: offline training records, compliance, CIT and bonus claims for police agencies."""


def __getattr__(name: str) -> str:
    # `__version__` is read from the installed package's metadata when first asked for, not
    # on import: the look-up walks the import path (about 15 ms), which the desktop app's
    # start-up does not need before its window shows.
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("deesc-desktop")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0+source"
    globals()["__version__"] = found
    return found
