"""Alerts: one record for every detector, with acknowledgement, escalation and resolution."""
