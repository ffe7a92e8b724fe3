"""Risk: how dangerous a route, a site or an hour is, and which incidents make it so."""
