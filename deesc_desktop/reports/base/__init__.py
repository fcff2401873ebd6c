"""What every printed report shares, one module a part: fonts, styles, cells, tables, pages,
the signature block and the Renderer each report subclasses."""
