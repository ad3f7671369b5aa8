"""Delta sync with the central server: protocol, HTTP client, engine, sneakernet bundles. No Qt."""
