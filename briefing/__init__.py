"""The Summit Briefing domain: models, rules, fixture import, admin, and site settings."""
