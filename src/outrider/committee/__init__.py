"""The joint security committee: meetings, minutes signed by both parties, decisions and commitments."""
