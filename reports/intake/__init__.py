"""Channel intake beyond the resident's web form: the 12345 hotline operator's form and the
machine-events endpoint for the city-management system and emergency sensing."""
