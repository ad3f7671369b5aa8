"""One APIRouter per area: auth, sync, admin, attachments."""
