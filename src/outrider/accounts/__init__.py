"""Accounts: organisations, users, roles, passwords and API tokens."""
