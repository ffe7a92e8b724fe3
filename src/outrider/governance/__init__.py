"""Joint governance: the founding parties and the proposals both must approve."""
