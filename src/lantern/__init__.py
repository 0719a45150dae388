"""Lantern: see child sexual exploitation while it is happening, record every
disclosed crime, and act on what agencies and the public report."""

__version__ = "0.1.0"
