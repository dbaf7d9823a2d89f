"""Pages of exam affairs, one module per stage (decision 0017)."""
