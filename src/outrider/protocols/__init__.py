"""Protocols as code: agreed rules as signed YAML documents with CEL conditions, evaluated on movement facts."""
