"""Table models over the ledger's frozen row objects."""
