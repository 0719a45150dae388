"""The data files extraction reads: every cue is a valid pattern, every code
is one of the shared codes, every file names its source."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from lantern.extract import vocabulary

DATA = resources.files("lantern.data")


@pytest.mark.parametrize(
    ("name", "key"), [("indicators.yaml", "indicators"), ("acts.yaml", "acts")]
)
def test_every_code_keeps_cues_that_are_strings(name: str, key: str) -> None:
    entries = yaml.safe_load(DATA.joinpath(name).read_text("utf-8"))[key]
    for entry in entries:
        assert entry.get("cues"), f"{entry['code']} has no cues"
        assert all(isinstance(c, str) for c in entry["cues"]), entry["code"]


def test_cues_compile_and_cover_every_shared_code() -> None:
    indicators = yaml.safe_load(DATA.joinpath("indicators.yaml").read_text("utf-8"))["indicators"]
    acts = yaml.safe_load(DATA.joinpath("acts.yaml").read_text("utf-8"))["acts"]
    assert [c for c, _ in vocabulary.indicator_cues().by_code] == [i["code"] for i in indicators]
    assert [c for c, _ in vocabulary.act_cues().by_code] == [a["code"] for a in acts]


@pytest.mark.parametrize(
    "name",
    [
        "indicators.yaml",
        "acts.yaml",
        "people.yaml",
        "places.yaml",
        "vehicles.yaml",
        "given_names.yaml",
        "nicknames_local.yaml",
    ],
)
def test_each_vocabulary_names_its_source(name: str) -> None:
    text = DATA.joinpath(name).read_text("utf-8")
    assert "Source" in text or "source" in text
