"""HTTP layer of the sync server: dependencies and routers."""
