"""Latvian language tools."""
