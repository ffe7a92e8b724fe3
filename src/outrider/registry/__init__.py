"""Registry: protected persons, sites with cordon rings, vehicles and escort units."""
