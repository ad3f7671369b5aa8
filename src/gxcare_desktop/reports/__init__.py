"""Reports (no Qt): monthly report and its workbook, Excel ledger import, department list comparison, printed file.

Callers (cli.py, ui workers) use the entry points in `reports.commands`; the modules below are
the pieces: ledger_import/import_apply (import), monthly/monthly_excel/roster (monthly report),
compare (department lists), printable (PDF).
"""
