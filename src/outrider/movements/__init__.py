"""Movements: journey management with joint approval, check-ins, overdue escalation and route history."""
