"""GXCare desktop: the offline-first child-welfare ledger for Guangxi villages."""

__version__ = "0.1.0"
