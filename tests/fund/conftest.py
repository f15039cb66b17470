import pytest

from tests import factories


@pytest.fixture
def world(app):
    a = factories.village("Katapang", letter_code="KTP")
    b = factories.village("Sangkanhurip", letter_code="SKH")
    ladu = factories.group(a, "Ladu Ketan RW 09")
    rajut = factories.group(a, "Tas Rajut RW 09", kind="craft")
    opak = factories.group(b, "Opak Sangkanhurip")
    pemdes = factories.partner(a, "Pemerintah Desa Katapang")
    factories.officer(a, username="kesra", full_name="Bu Kasi Kesra")
    factories.officer(b, username="kesra_b")
    factories.producer(a, ladu, username="ladu", full_name="Ibu Euis")
    factories.producer(a, rajut, username="rajut")
    factories.producer(b, opak, username="opak")
    factories.partner_contact(a, pemdes, username="pemdes")
    ka = factories.reseller(a, username="ka")
    snack = factories.product(ladu, "Ladu Ketan Box", made_to_order=True, daily_capacity=100,
                              reseller_price=12_345, retail_price=15_000)
    factories.claim(snack, ka)
    return {"a": a, "b": b, "ladu": ladu, "rajut": rajut, "opak": opak, "pemdes": pemdes,
            "ka": ka, "snack": snack}
