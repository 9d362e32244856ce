"""Enrichers: what Lyssna adds to each post (language, sentiment, entities, phrases …), as plugins."""
