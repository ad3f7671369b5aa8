"""Pure domain rules of child-welfare work: enums, validation, eligibility, schedules. No Qt, no SQL."""
