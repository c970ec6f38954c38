"""The reporting service's tables (the platform's outbox/inbox tables come from carbon_shared.db).

Read models fed by registry events: `enterprises`, `emitter_listings`, `agencies`. Own data: `reports`
(the current state of each annual report), `report_transitions` (every step, never updated), `report_flags`
(data-quality and falsification flags), `ledgers` (月度存证) and `deadline_notices` (one row per overdue
event ever emitted: its primary key is what makes the deadline check emit each event once).
"""

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text

from carbon_shared.db import ExactDecimal, UtcDateTime, make_metadata
from carbon_shared.db.tables import BigId

metadata = make_metadata()

_ID = 36  # uuid text

enterprises = Table(
    "enterprises",
    metadata,
    Column("enterprise_id", String(64), primary_key=True),
    Column("uscc", String(18), nullable=False),
    Column("name", String(200), nullable=False),
    Column("sector", String(64), nullable=False),
    Column("county_code", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("closed_on", Date, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
)

emitter_listings = Table(
    "emitter_listings",
    metadata,
    Column("enterprise_id", String(64), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("listed", Boolean, nullable=False),
    Column("rule", String(32), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

agencies = Table(
    "agencies",
    metadata,
    Column("agency_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("banned_until", Date, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
)

reports = Table(
    "reports",
    metadata,
    Column("id", String(_ID), primary_key=True),
    Column("enterprise_id", String(64), nullable=False),
    Column("year", Integer, nullable=False),
    Column("status", String(32), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("assigned_agency_id", String(64), nullable=True),
    Column("prepared_by_agency_id", String(64), nullable=True),
    Column("calculated_emissions_tco2e", ExactDecimal, nullable=False),
    Column("verified_emissions_tco2e", ExactDecimal, nullable=True),
    Column("verified_on", Date, nullable=True),
    Column("activity", JSON, nullable=False),
    Column("breakdown", JSON, nullable=False),
    Column("falsification_suspected", Boolean, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
# At most one live (not withdrawn) report per enterprise and year: the 409 of the contract.
Index(
    "uq_reports_enterprise_year_live",
    reports.c.enterprise_id,
    reports.c.year,
    unique=True,
    postgresql_where=reports.c.status != "withdrawn",
    sqlite_where=reports.c.status != "withdrawn",
)
Index("ix_reports_year_id", reports.c.year, reports.c.id)
Index("ix_reports_enterprise_id", reports.c.enterprise_id)
Index("ix_reports_assigned_agency_id", reports.c.assigned_agency_id)

report_transitions = Table(
    "report_transitions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("report_id", String(_ID), ForeignKey("reports.id"), nullable=False, index=True),
    Column("action", String(32), nullable=False),
    Column("from_status", String(32), nullable=False),
    Column("to_status", String(32), nullable=False),
    Column("actor_subject", String(200), nullable=False),
    Column("actor_role", String(32), nullable=False),
    Column("agency_id", String(64), nullable=True),
    Column("verified_emissions_tco2e", ExactDecimal, nullable=True),
    Column("revision", Integer, nullable=False),
    Column("opinion", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

report_flags = Table(
    "report_flags",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("report_id", String(_ID), ForeignKey("reports.id"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("check_code", String(64), nullable=False),
    Column("detail", Text, nullable=False),
    Column("flagged_by", String(200), nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

ledgers = Table(
    "ledgers",
    metadata,
    Column("enterprise_id", String(64), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("month", Integer, primary_key=True),
    Column("emissions_tco2e", ExactDecimal, nullable=False),
    Column("fuels", JSON, nullable=False),
    Column("note", Text, nullable=False),
    Column("filed_by", String(200), nullable=False),
    Column("filed_at", UtcDateTime, nullable=False),
)

deadline_notices = Table(
    "deadline_notices",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("enterprise_id", String(64), nullable=False),
    Column("year", Integer, nullable=False),
    Column("month", Integer, nullable=True),
    Column("due_date", Date, nullable=False),
    Column("as_of", Date, nullable=False),
    Column("emitted_at", UtcDateTime, nullable=False),
)
