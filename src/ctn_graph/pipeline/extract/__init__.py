"""Extraction: names and claims read from Latvian documents."""
