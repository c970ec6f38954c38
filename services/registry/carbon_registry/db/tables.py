"""The registry service's tables (the platform's outbox/inbox tables come from carbon_shared.db)."""

from sqlalchemy import JSON, Boolean, Column, Date, Index, Integer, String, Table, Text

from carbon_shared.db import ExactDecimal, UtcDateTime, make_metadata
from carbon_shared.db.tables import BigId

metadata = make_metadata()

enterprises = Table(
    "enterprises",
    metadata,
    Column("enterprise_id", String(36), primary_key=True),
    Column("uscc", String(18), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("sector", String(32), nullable=False),
    Column("county_code", String(16), nullable=False),
    Column("status", String(8), nullable=False),
    Column("closed_on", Date, nullable=True),
    Column("closure_reason", Text, nullable=True),
    Column("address", Text, nullable=True),
    Column("legal_representative", String(100), nullable=True),
    Column("industry_code", String(8), nullable=True),
    Column("contacts", JSON, nullable=False),
    Column("facilities", JSON, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
Index("ix_enterprises_sector", enterprises.c.sector, enterprises.c.enterprise_id)
Index("ix_enterprises_county_code", enterprises.c.county_code, enterprises.c.enterprise_id)

# Who changed what, when: one row per registration, edit, closure or import of an enterprise.
enterprise_history = Table(
    "enterprise_history",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("enterprise_id", String(36), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(16), nullable=False),
    Column("changes", JSON, nullable=False),
)
Index("ix_enterprise_history_enterprise_id", enterprise_history.c.enterprise_id, enterprise_history.c.id)

# Every revision of every verified year, as ReportVerified stated it; the latest revision counts.
verified_emissions = Table(
    "verified_emissions",
    metadata,
    Column("enterprise_id", String(36), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("emissions_tco2e", ExactDecimal, nullable=False),
    Column("report_id", String(64), nullable=False),
    Column("verified_on", Date, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
)

# The published directory status of each (enterprise, year), as last evaluated.
directory_status = Table(
    "directory_status",
    metadata,
    Column("enterprise_id", String(36), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("listed", Boolean, nullable=False),
    Column("listing_rule", String(16), nullable=True),
    Column("exit_rule", String(16), nullable=True),
    Column("basis", JSON, nullable=False),
    Column("basis_year", Integer, nullable=True),
    Column("basis_emissions_tco2e", ExactDecimal, nullable=True),
    Column("reason", Text, nullable=True),
    Column("decided_at", UtcDateTime, nullable=False),
)
Index(
    "ix_directory_status_year",
    directory_status.c.year,
    directory_status.c.listed,
    directory_status.c.enterprise_id,
)

# The regulator's manual decisions (listing on application, removal), each with a written reason.
directory_actions = Table(
    "directory_actions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("enterprise_id", String(36), nullable=False),
    Column("year", Integer, nullable=False),
    Column("kind", String(8), nullable=False),
    Column("reason", Text, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("at", UtcDateTime, nullable=False),
)
Index("ix_directory_actions_enterprise_id", directory_actions.c.enterprise_id, directory_actions.c.id)

# Every listing and delisting published (the EmitterListed / EmitterDelisted events), for the history view.
directory_changes = Table(
    "directory_changes",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("enterprise_id", String(36), nullable=False),
    Column("year", Integer, nullable=False),
    Column("change", String(8), nullable=False),
    Column("rule", String(16), nullable=False),
    Column("basis", JSON, nullable=False),
    Column("reason", Text, nullable=True),
    Column("at", UtcDateTime, nullable=False),
)
Index("ix_directory_changes_enterprise_id", directory_changes.c.enterprise_id, directory_changes.c.id)

agencies = Table(
    "agencies",
    metadata,
    Column("agency_id", String(36), primary_key=True),
    Column("uscc", String(18), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("banned_until", Date, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

# Inspections (passed or failed) and violations found otherwise; `kind` is set when the finding sanctions.
agency_findings = Table(
    "agency_findings",
    metadata,
    Column("finding_id", String(36), primary_key=True),
    Column("agency_id", String(36), nullable=False),
    Column("source", String(12), nullable=False),
    Column("passed", Boolean, nullable=True),
    Column("kind", String(20), nullable=True),
    Column("occurred_on", Date, nullable=False),
    Column("findings", Text, nullable=False),
    Column("banned_until", Date, nullable=True),
    Column("recorded_by", String(200), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
)
Index("ix_agency_findings_agency_id", agency_findings.c.agency_id, agency_findings.c.source)

ccer_projects = Table(
    "ccer_projects",
    metadata,
    Column("project_id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("project_type", String(32), nullable=False),
    Column("county_code", String(16), nullable=False),
    Column("owner", String(200), nullable=False),
    Column("owner_enterprise_id", String(36), nullable=True),
    Column("estimated_annual_reduction_tco2e", ExactDecimal, nullable=False),
    Column("status", String(12), nullable=False),
    Column("description", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
