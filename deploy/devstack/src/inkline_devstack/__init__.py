"""Development stack: NATS and PostgreSQL from their PyPI wheels, the `make up` launcher, test fixtures."""
