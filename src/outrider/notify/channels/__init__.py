"""Delivery channels of alerts: e-mail over SMTP, Standard Webhooks and an SMS gateway, each a `Channel`."""
