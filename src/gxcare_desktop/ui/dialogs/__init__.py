"""Dialogs and wizards: first run, unlock, demo ledger."""
