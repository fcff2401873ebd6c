"""The domain, free of Qt and I/O: records, hours, rules, compliance, money."""
