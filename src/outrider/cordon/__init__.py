"""Cordon monitoring: vehicle sightings and checkpoint inspections in, dwell and reconnaissance alerts out."""
