"""Package of the GXCare sync server (FastAPI + SQLModel); see sync_server.main.create_app."""
