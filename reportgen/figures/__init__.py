"""Figures drawn with matplotlib (Agg). They know the data, not the page they land on."""
