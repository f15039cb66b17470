"""A village with producer groups, officers, producers, a reseller and a partner
contact, and helpers that put proposals into each status through the services."""

from datetime import date, timedelta

import pytest

from crm.extensions import db
from crm.proposals import services, workflow
from crm.proposals.models import Proposal
from tests import factories
from tests.helpers import reload, user

# 3 × Rp 1.250.000 + 7 × Rp 333.333 = Rp 6.083.331
LINES = [
    {"item": "Kompor gas 2 tungku", "volume": 3, "unit": "unit", "unit_price": 1_250_000},
    {"item": "Kemasan mika ladu", "volume": 7, "unit": "pak", "unit_price": 333_333},
]
LINES_TOTAL = 6_083_331
# The way through the workflow to each status.
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "revision": ["submit", "return"],
    "endorsed": ["submit", "endorse"],
    "sent": ["submit", "endorse", "send"],
    "approved": ["submit", "endorse", "send", "approve"],
    "rejected": ["submit", "endorse", "send", "reject"],
    "disbursed": ["submit", "endorse", "send", "approve", "disburse"],
    "reported": ["submit", "endorse", "send", "approve", "disburse", "report"],
}


@pytest.fixture
def world(app):
    a = factories.village("Katapang", letter_code="KTP", head_name="H. Asep Saepudin")
    b = factories.village("Sangkanhurip", letter_code="SKH")
    ladu = factories.group(
        a, "Ladu Ketan RW 09", chair_name="Ibu Euis Sumiati", nib="9120001234567",
        pirt_number="2063204010123-27", halal_number="ID32110000123450923",
        halal_expires_on=date.today() + timedelta(days=400), address="Kp. Babakan", rt="02",
        rw="09", since_year=1999, baseline_monthly_turnover=500_000)
    rajut = factories.group(a, "Tas Rajut RW 09", kind="craft")
    kue = factories.group(a, "Kue Basah RW 03", halal_number="ID3211000099",
                          halal_expires_on=date.today() - timedelta(days=3))
    opak = factories.group(b, "Opak Sangkanhurip")
    factories.officer(a, username="kesra", full_name="Bu Kasi Kesra")
    factories.officer(b, username="kesra_b")
    factories.producer(a, ladu, username="ladu", full_name="Ibu Euis")
    factories.producer(a, rajut, username="rajut")
    factories.producer(a, kue, username="kue")
    factories.producer(b, opak, username="opak")
    factories.reseller(a, username="ka", full_name="Kang Ade")
    factories.partner_contact(a, username="pemdes")
    return {"a": a, "b": b, "ladu": ladu, "rajut": rajut, "kue": kue, "opak": opak}


def values(**changes) -> dict:
    """Content of a proposal as the services take it."""
    base = {
        "title": "Penambahan alat produksi ladu ketan", "funder_kind": "dinas_koperasi",
        "funder_name": "Kepala Dinas Koperasi dan UMKM Kabupaten Bandung",
        "funder_address": "Jl. Raya Soreang No. 1", "kur_scheme": None,
        "background": "Usaha ladu ketan sejak 1999.", "aims": "Menambah kapasitas produksi.",
        "activities": "Membeli kompor dan kemasan.", "closing": "",
        "requested_amount": None, "chair_name": "", "secretary_name": "Ibu Neneng",
        "treasurer_name": "Ibu Tati", "evidence_months": 12,
    }
    return base | changes


def make_proposal(world, group="ladu", actor="ladu", lines=LINES, **changes) -> Proposal:
    """A draft proposal of ``group`` with ``lines`` in its RAB (the requested amount
    follows the RAB total unless given)."""
    outcome = services.create_proposal(world[group], values(**changes), user(actor))
    proposal = outcome.proposal
    if lines:
        services.add_budget_lines(proposal, lines, user(actor))
    db.session.commit()
    return reload(proposal)


STEP_INPUTS = {"return": {"comment": "Lengkapi foto usaha."},
               "reject": {"comment": "Anggaran tahun ini habis."},
               "approve": {"amount": 5_000_000}, "disburse": {"amount": 5_000_000},
               "report": {"report": "Kompor dan kemasan sudah dibeli."}}


def move_to(proposal: Proposal, status: str, officer: str = "kesra") -> Proposal:
    """Take the steps that bring a draft ``proposal`` to ``status`` (the officer may
    take every step)."""
    for step in PATHS[status]:
        workflow.take_step(reload(proposal), step, user(officer), **STEP_INPUTS.get(step, {}))
        db.session.commit()
    proposal = reload(proposal)
    assert proposal.status == status
    return proposal
