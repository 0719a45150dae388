"""Typed values, one module per kind, each knowing how to clean, compare and
display its values (as followthemoney's ``types/`` does). Used by intake,
extraction and resolution alike."""
