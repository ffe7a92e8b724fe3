"""Alert delivery: who is on duty, which policy calls whom, and the messages that reach them."""
