"""update and diff: newer wins, deletions stay deleted, every changed field is listed."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import sahel_events
from sahel_events import diff, update
from sahel_events.exc import InvalidDataError, UnreadableFileError, UsageError
from sahel_events.testing import synthetic_events
from sahel_events.transform import read_deletions
from sahel_events.transform._update import CHANGE_KINDS


def local_and_export() -> tuple[pd.DataFrame, pd.DataFrame]:
    old = synthetic_events(40, seed=11)
    old["timestamp"] = pd.array([1_700_000_000] * len(old), dtype="Int64")
    new = old.iloc[[0, 1, 2, 3]].copy()
    new["timestamp"] = pd.array([1_700_000_500] * 4, dtype="Int64")
    new.loc[new.index[0], "fatalities"] = 12
    new.loc[new.index[1], "actor1"] = "Wagner Group"
    new.loc[new.index[2], "timestamp"] = 1_600_000_000  # an older version than the local one
    new.loc[new.index[2], "notes"] = "A stale version."
    added = synthetic_events(2, seed=12, start_id=900)
    added["timestamp"] = pd.array([1_700_000_600] * 2, dtype="Int64")
    return old, pd.concat([new, added])


def test_newer_wins_and_new_events_are_added() -> None:
    old, new = local_and_export()
    events, changes = update(old, new)
    assert len(events) == len(old) + 2
    by_id = events.set_index("event_id_cnty")
    first, second, stale = old["event_id_cnty"].iloc[:3]
    assert by_id.at[first, "fatalities"] == 12
    assert by_id.at[second, "actor1"] == "Wagner Group"
    assert by_id.at[stale, "notes"] == old["notes"].iloc[2]
    log = changes.set_index("event_id_cnty")
    assert log.at[first, "change"] == "updated"
    assert log.at[first, "fields"] == "fatalities;timestamp"
    assert log.at[second, "fields"] == "actor1;timestamp"
    assert log.at[stale, "change"] == "kept_local"
    assert list(log.index[log["change"] == "added"]) == new["event_id_cnty"].tolist()[4:]
    # The local order, then the added events in the export's order.
    assert events["event_id_cnty"].tolist()[: len(old)] == old["event_id_cnty"].tolist()
    assert events["event_id_cnty"].tolist()[len(old) :] == new["event_id_cnty"].tolist()[4:]
    # Dtypes survive the merge.
    assert [str(dtype) for dtype in events.dtypes] == [str(dtype) for dtype in old.dtypes]


def test_deleted_events_do_not_come_back() -> None:
    old, new = local_and_export()
    gone = old["event_id_cnty"].iloc[3]  # also in the export, downloaded before the deletion
    kept = old["event_id_cnty"].iloc[0]  # re-issued after its listed deletion
    only_local = old["event_id_cnty"].iloc[10]
    deletions = pd.DataFrame(
        {
            "event_id_cnty": [gone, kept, only_local, "MLI999999"],
            "deleted_timestamp": [1_700_000_900, 1_700_000_100, None, 1_700_000_900],
        }
    )
    result = update(old, new, deletions=deletions)
    ids = set(result.events["event_id_cnty"])
    assert gone not in ids
    assert only_local not in ids
    assert kept in ids
    log = result.changes.set_index("event_id_cnty")
    assert log.at[gone, "change"] == "deleted"
    assert log.at[gone, "deleted_timestamp"] == 1_700_000_900
    assert log.at[kept, "change"] == "deletion_superseded"
    assert log.at[only_local, "change"] == "deleted"
    assert "MLI999999" not in log.index
    counts = result.counts()
    assert set(counts) == set(CHANGE_KINDS)
    assert counts["deleted"] == 2
    assert "2 deleted" in result.summary()
    # Updating again with the same files changes nothing more.
    again = update(result.events, new, deletions=deletions)
    assert gone not in set(again.events["event_id_cnty"])


def test_deletions_as_acled_publishes_them(tmp_path: Path) -> None:
    # The columns of ACLED's deleted/read.csv; a Unix timestamp or a date (acledR's date_deleted).
    path = tmp_path / "deleted.csv"
    path.write_text(
        "event_id_cnty,deleted_timestamp\r\nMLI12,1658707200\r\nNIR3,2022-07-25\r\n",
        encoding="utf-8",
    )
    deletions = read_deletions(path)
    assert deletions["event_id_cnty"].tolist() == ["MLI12", "NIR3"]
    assert deletions["deleted_timestamp"].tolist() == [1658707200, 1658707200]
    api = tmp_path / "deleted.json"
    api.write_text(
        json.dumps({"status": 200, "data": [{"event_id_cnty": "MLI12", "deleted_timestamp": "1"}]}),
        encoding="utf-8",
    )
    assert read_deletions(api)["deleted_timestamp"].tolist() == [1]
    bad = tmp_path / "bad.csv"
    bad.write_text("event_id_cnty,deleted_timestamp\nMLI1,yesterday\n", encoding="utf-8")
    with pytest.raises(InvalidDataError, match="row 2") as caught:
        read_deletions(bad)
    assert caught.value.column == "deleted_timestamp"
    with pytest.raises(UnreadableFileError, match="event_id_cnty"):
        (tmp_path / "none.csv").write_text("id\nMLI1\n", encoding="utf-8")
        read_deletions(tmp_path / "none.csv")


def test_update_refuses_repeated_ids() -> None:
    old = synthetic_events(5)
    doubled = pd.concat([old, old.iloc[[0]]])
    with pytest.raises(InvalidDataError, match="share event ids"):
        update(doubled, old)
    with pytest.raises(UsageError, match="timestamp"):
        update(old.drop(columns=["timestamp"]), old)


def test_diff_lists_every_changed_field() -> None:
    a = synthetic_events(30, seed=21)
    b = a.drop(index=a.index[5]).copy()
    b.loc[b.index[0], "fatalities"] = 40
    b.loc[b.index[0], "location"] = "Ansongo"
    b.loc[b.index[1], "assoc_actor_1"] = "Fulani Ethnic Group (Mali)"
    b.loc[b.index[2], "latitude"] = b["latitude"].iloc[2] + 0.0001
    b.loc[b.index[3], "event_date"] = b["event_date"].iloc[3] + pd.Timedelta(days=1)
    b = pd.concat([b, synthetic_events(1, seed=3, start_id=777)])
    result = diff(a, b)
    assert result.removed["event_id_cnty"].tolist() == [a["event_id_cnty"].iloc[5]]
    assert result.added["event_id_cnty"].tolist() == b["event_id_cnty"].tolist()[-1:]
    changes = result.changes
    assert changes["field"].tolist() == [
        "location",
        "fatalities",
        "assoc_actor_1",
        "latitude",
        "event_date",
    ]
    assert changes["event_id_cnty"].tolist()[:2] == [a["event_id_cnty"].iloc[0]] * 2
    assert changes["after"].tolist()[1] == 40
    assert result.changed_ids == a["event_id_cnty"].iloc[:4].tolist()
    text = result.to_text()
    assert "1 added, 1 removed, 4 changed (5 fields)" in text
    assert "fatalities: " in text and "-> 40" in text
    assert "assoc_actor_1: (empty) -> 'Fulani Ethnic Group (Mali)'" in text
    frame = result.to_frame()
    assert frame["change"].value_counts().to_dict() == {"changed": 5, "removed": 1, "added": 1}
    document = json.loads(result.to_json())
    assert document["summary"] == {"added": 1, "removed": 1, "changed": 4, "changed_fields": 5}
    assert diff(a, a).empty
    ignored = diff(a, b, ignore=("fatalities", "location"))
    assert "fatalities" not in set(ignored.changes["field"])


def test_diff_of_two_builds_of_the_dataset_lists_coding_changes() -> None:
    first = sahel_events.load()
    second = first.copy()
    event = first["event_id_cnty"].iloc[0]
    second.loc[second.index[0], "fatalities"] = int(first["fatalities"].iloc[0] or 0) + 2
    second.loc[second.index[0], "evidence"] = "a revised quote"
    second = second.iloc[1:].pipe(lambda frame: pd.concat([second.iloc[[0]], frame.iloc[1:]]))
    result = first.events.diff(second, names=("build 1", "build 2"))
    assert result.changed_ids == [event]
    assert set(result.changes["field"]) == {"fatalities", "evidence"}
    assert result.removed["event_id_cnty"].tolist() == [first["event_id_cnty"].iloc[1]]
    assert f"  {event}\n    fatalities:" in result.to_text()
    # A CSV export of the same build has no coding changes.
    assert first.events.diff(first.copy()).empty


def test_diff_refuses_a_monadic_frame() -> None:
    monadic = sahel_events.to_monadic(synthetic_events(10, seed=1))
    with pytest.raises(InvalidDataError, match="to_dyadic"):
        diff(monadic, monadic)
