"""No admin for the residence records: they are a victim's personal data, opened only
through the scoped and audited pages (the administrator sees no victim records), and
changed only through the services, which audit them and keep the deadlines right."""
