"""The errors the registry domain raises: each has a stable machine `code` and a message a person can act on.

The API layer maps `code` to a problem+json `type` and, where an error names a field, to an `errors[].loc`.
Validation that must report every problem at once (an enterprise form, an import row) collects
`FieldIssue`s and raises `EnterpriseInvalid` carrying all of them.
"""

from __future__ import annotations

from dataclasses import dataclass


class RegistryError(Exception):
    """Base of every registry domain error."""

    code = "registry_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ReferenceDataInvalid(RegistryError):
    """A reference TOML file is malformed; the message names the file and key to fix."""

    code = "reference_data_invalid"


class ReferenceVersionUnknown(RegistryError):
    code = "reference_version_unknown"


class InvalidUscc(RegistryError):
    """A 统一社会信用代码 that breaks GB 32100-2015 (length, character set or check digit)."""

    code = "invalid_uscc"


class InvalidEmail(RegistryError):
    code = "invalid_email"


class InvalidPhone(RegistryError):
    code = "invalid_phone"


class InvalidContact(RegistryError):
    """A contact without a name, or with neither an e-mail address nor a phone number."""

    code = "invalid_contact"


class InvalidField(RegistryError):
    """A field that fails a plain format rule (empty name, malformed industry code...)."""

    code = "invalid_field"


class UnknownCounty(RegistryError):
    code = "unknown_county"


class UnknownSector(RegistryError):
    code = "unknown_sector"


class UnknownDepartment(RegistryError):
    code = "unknown_department"


class UnknownProjectType(RegistryError):
    code = "unknown_project_type"


class ReasonRequired(RegistryError):
    """A regulator's manual directory decision must carry a written reason."""

    code = "reason_required"


class DirectoryActionRefused(RegistryError):
    """A manual directory action that the unit's state does not allow (e.g. listing a closed unit)."""

    code = "directory_action_refused"


class VerifiedEmissionInvalid(RegistryError):
    """A verified-emissions record that cannot be used: negative, or conflicting with another revision."""

    code = "verified_emission_invalid"


class SnapshotMismatch(RegistryError):
    """Two snapshots of different types cannot be compared field by field."""

    code = "snapshot_mismatch"


@dataclass(frozen=True)
class FieldIssue:
    """One problem with one input field: `field` is the canonical name, `code` the error's machine code."""

    field: str
    code: str
    message: str


class FieldsInvalid(RegistryError):
    """A form (enterprise, agency, CCER project...) with invalid fields; `issues` lists every one of them."""

    code = "fields_invalid"

    def __init__(self, issues: tuple[FieldIssue, ...]) -> None:
        super().__init__("; ".join(f"{issue.field}: {issue.message}" for issue in issues))
        self.issues = issues


class EnterpriseInvalid(FieldsInvalid):
    """An enterprise form with one or more invalid fields."""

    code = "enterprise_invalid"


class AgencyInvalid(FieldsInvalid):
    code = "agency_invalid"


class InspectionInvalid(FieldsInvalid):
    code = "inspection_invalid"


class ProjectInvalid(FieldsInvalid):
    code = "ccer_project_invalid"


class StatusChangeRefused(RegistryError):
    """A status change the current status does not allow (closing a closed enterprise, reviving a withdrawn
    CCER project...)."""

    code = "status_change_refused"
