"""The digest that proves "nothing changed" does see a change."""

from crm.extensions import db
from tests import factories
from tests.security.snapshot import snapshot


def test_snapshot_sees_an_added_row_and_an_edited_field(app):
    village = factories.village("Katapang")
    first = snapshot()
    assert snapshot() == first
    group = factories.group(village, "Ladu Ketan RW 09")
    second = snapshot()
    assert second["producer_groups"] != first["producer_groups"]
    group.chair_name = "Ibu Euis"
    db.session.commit()
    third = snapshot()
    assert third["producer_groups"] != second["producer_groups"]
    assert third["villages"] == first["villages"]
