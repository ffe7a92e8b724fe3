"""Sharing intelligence with partners: markings, release policies both parties agree, STIX 2.1 export."""
