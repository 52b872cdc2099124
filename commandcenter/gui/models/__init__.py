"""Qt item models over the service queries."""
