"""Protocols as code: signed YAML rule documents with CEL conditions, checked on movement facts."""
