"""atelier: live workshops of a territorial economic-ecology network."""
