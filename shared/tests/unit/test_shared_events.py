"""The event contract: envelope codec, rejection reasons, and one golden fixture per event version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carbon_shared.events import InvalidEvent, ReportVerified, catalogue, decode, encode, new_envelope

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


def golden_files() -> list[Path]:
    return sorted(GOLDEN.glob("*.json"))


class TestGoldenFixtures:
    def test_every_event_version_has_a_golden_fixture(self) -> None:
        expected = {f"{t}.v{v}.json" for t, v in catalogue()}
        assert {p.name for p in golden_files()} == expected

    @pytest.mark.parametrize("path", golden_files(), ids=lambda p: p.stem)
    def test_golden_fixture_decodes_and_reencodes_identically(self, path: Path) -> None:
        raw = path.read_text(encoding="utf-8")
        envelope, event = decode(raw)
        assert type(event).__name__ == envelope.type
        assert json.loads(encode(envelope)) == json.loads(raw)
        assert event.model_dump(mode="json") == envelope.payload


class TestDecodeRejections:
    def _valid(self) -> dict:
        return json.loads((GOLDEN / "ReportVerified.v1.json").read_text(encoding="utf-8"))

    def test_not_json(self) -> None:
        with pytest.raises(InvalidEvent, match="not JSON"):
            decode(b"\xff{")

    def test_unknown_type(self) -> None:
        raw = self._valid() | {"type": "ReportEaten"}
        with pytest.raises(InvalidEvent, match="unknown event type ReportEaten v1"):
            decode(json.dumps(raw))

    def test_unknown_version(self) -> None:
        with pytest.raises(InvalidEvent, match="unknown event type ReportVerified v9"):
            decode(json.dumps(self._valid() | {"version": 9}))

    def test_missing_envelope_field(self) -> None:
        raw = self._valid()
        del raw["correlation_id"]
        with pytest.raises(InvalidEvent, match="bad envelope: correlation_id"):
            decode(json.dumps(raw))

    def test_malformed_payload_names_the_field(self) -> None:
        raw = self._valid()
        raw["payload"]["verified_emissions_tco2e"] = "lots"
        with pytest.raises(InvalidEvent, match="verified_emissions_tco2e"):
            decode(json.dumps(raw))

    def test_subject_must_match_payload(self) -> None:
        with pytest.raises(InvalidEvent, match="does not match"):
            decode(json.dumps(self._valid() | {"subject": "someone-else"}))

    def test_producer_must_match_catalogue(self) -> None:
        with pytest.raises(InvalidEvent, match="produced by reporting"):
            decode(json.dumps(self._valid() | {"producer": "allowance"}))


class TestExactDecimals:
    def test_emissions_travel_as_exact_strings(self) -> None:
        _, event = decode((GOLDEN / "ReportVerified.v1.json").read_text(encoding="utf-8"))
        assert isinstance(event, ReportVerified)
        again = new_envelope(event, correlation_id="c")
        assert again.payload["verified_emissions_tco2e"] == "199650.00"
