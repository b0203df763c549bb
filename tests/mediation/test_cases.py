"""调解: a dispute ticket opens a case; mediators, parties, two sessions, a signed agreement and
the follow-up visit; the ticket closes from the outcome through dispatch's actions."""

from django.test import Client
from django.urls import reverse

from dispatch.actions.routing import route_report
from dispatch.actions.unit_work import accept_task
from mediation import cases
from mediation.models import Case, Event
from reports.models import Status
from tests.mediation.conftest import PDF


def _open(login, user, ticket, organisation, summary="邻居噪音纠纷"):
    client = login(user)
    response = client.post(
        reverse("mediation:case_open", args=[ticket.number]),
        {"organisation": organisation.id, "summary": summary},
    )
    return client, response


def _act(client, case, action, data):
    return client.post(reverse("mediation:case_action", args=[case.id, action]), data)


def _agree(client, case, upload, file=None):
    for day, agreed in (("2026-01-05", False), ("2026-01-12", True)):
        response = _act(
            client,
            case,
            "session",
            {
                "held_on": day,
                "attendees": "双方当事人、调解员",
                "summary": "协商",
                "agreed": agreed,
            },
        )
        assert response.status_code == 302
    return _act(
        client,
        case,
        "agreement",
        {"agreement_text": "甲方晚十点后不再装修", "agreement_file": file or upload()},
    )


def test_grid_worker_runs_a_case_to_settlement_and_the_ticket_closes_as_settled(
    login, dispute, worker_a, organisation, upload, photo
):
    client, response = _open(login, worker_a, dispute, organisation)
    case = Case.objects.get(ticket=dispute)
    assert response.status_code == 302
    assert case.mediators.get().user == worker_a
    assert dispute.events.filter(kind="mediation_case_opened").exists()

    assert (
        _act(
            client, case, "party", {"party_name": "张三", "party_phone": "13811112222"}
        ).status_code
        == 302
    )
    assert _act(client, case, "mediator", {"name": "李大爷"}).status_code == 302
    assert _agree(client, case, upload).status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.AGREED and case.follow_up_due is not None

    response = _act(
        client, case, "follow-up", {"held": "1", "note": "协议已履行", "photo": photo()}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    dispute.refresh_from_db()
    assert (case.status, case.outcome) == (Case.Status.CONCLUDED, Case.Outcome.SETTLED)
    assert dispute.status == Status.CLOSED
    assert dispute.dispute_settled is True
    assert dispute.events.filter(kind="closed", data__dispute_settled=True).exists()
    page = client.get(reverse("mediation:case", args=[case.id])).content.decode()
    assert "张三" in page and "13811112222" in page and "李大爷" in page
    listing = client.get(reverse("mediation:cases")).content.decode()
    assert "张*" in listing and "张三" not in listing and "13811112222" not in listing


def test_follow_up_before_its_due_date_is_refused(
    login, dispute, worker_a, organisation, upload, photo
):
    organisation.follow_up_days = 15
    organisation.save(update_fields=["follow_up_days"])
    client, _ = _open(login, worker_a, dispute, organisation)
    case = Case.objects.get(ticket=dispute)
    _agree(client, case, upload)
    response = _act(client, case, "follow-up", {"held": "1", "photo": photo()})
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.status == Case.Status.AGREED and case.outcome == ""
    dispute.refresh_from_db()
    assert dispute.status != Status.CLOSED


def test_an_agreement_needs_an_agreed_session_first(login, dispute, worker_a, organisation, upload):
    client, _ = _open(login, worker_a, dispute, organisation)
    case = Case.objects.get(ticket=dispute)
    response = _act(client, case, "agreement", {"agreement_text": "x", "agreement_file": upload()})
    assert response.status_code == 409
    assert Case.objects.get(id=case.id).status == Case.Status.OPEN


def test_a_signed_pdf_is_accepted_and_served_only_inside_the_case(
    login, dispute, worker_a, worker_b, organisation, upload, private_media
):
    client, _ = _open(login, worker_a, dispute, organisation)
    case = Case.objects.get(ticket=dispute)
    response = _agree(client, case, upload, upload(PDF, "协议.pdf", "application/pdf"))
    assert response.status_code == 302
    url = reverse("mediation:agreement_file", args=[case.id])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert login(worker_b).get(url).status_code == 404


def test_a_file_that_is_neither_photo_nor_pdf_is_refused_and_nothing_is_stored(
    login, dispute, worker_a, organisation, upload, private_media
):
    client, _ = _open(login, worker_a, dispute, organisation)
    case = Case.objects.get(ticket=dispute)
    bad = upload(b"<html><script>alert(1)</script>", "x.pdf", "application/pdf")
    response = _agree(client, case, upload, bad)
    assert response.status_code == 400
    assert "PDF" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN and not case.agreement_file
    assert not (private_media / "agreements").exists()


def test_community_staff_records_the_outcome_and_the_grid_worker_closes_the_ticket(
    login, dispute, community_staff, worker_a, organisation, upload, photo
):
    client, _ = _open(login, community_staff, dispute, organisation)
    case = Case.objects.get(ticket=dispute)
    _agree(client, case, upload)
    response = _act(client, case, "follow-up", {"held": "1", "photo": photo()})
    assert response.status_code == 302
    dispute.refresh_from_db()
    # The committee neither holds the grid team's task nor checks grid A's sites.
    assert dispute.status == Status.DISPATCHED
    assert dispute.events.filter(kind="mediation_case_outcome").exists()

    task = dispute.tasks.get()
    accept_task(task=task, actor=worker_a)
    worker = login(worker_a)
    # worker_a is no mediator of this case: the ticket's checker may still close it from the case.
    response = _act(worker, case, "close-ticket", {"photo": photo()})
    assert response.status_code == 404  # the case itself stays hidden from non-mediators
    cases.close_ticket_from_case(actor=worker_a, case=case, photo=photo())
    dispute.refresh_from_db()
    assert dispute.status == Status.CLOSED and dispute.dispute_settled is True


def test_an_unsettled_case_must_name_its_referral_and_closes_the_ticket_unsettled(
    login, dispute, worker_a, organisation, photo
):
    client, _ = _open(login, worker_a, dispute, organisation)
    case = Case.objects.get(ticket=dispute)
    response = _act(client, case, "conclude", {"outcome": "unsettled", "photo": photo()})
    assert response.status_code == 400
    assert Case.objects.get(id=case.id).status == Case.Status.OPEN
    response = _act(
        client, case, "conclude", {"outcome": "unsettled", "referral": "court", "photo": photo()}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    dispute.refresh_from_db()
    assert (case.outcome, case.referral) == ("unsettled", "court")
    assert dispute.status == Status.CLOSED and dispute.dispute_settled is False


def test_a_withdrawn_case_closes_the_ticket_as_not_settled(
    login, dispute, worker_a, organisation, photo
):
    client, _ = _open(login, worker_a, dispute, organisation)
    case = Case.objects.get(ticket=dispute)
    _act(client, case, "conclude", {"outcome": "withdrawn", "note": "双方撤回", "photo": photo()})
    case.refresh_from_db()
    dispute.refresh_from_db()
    assert case.outcome == "withdrawn" and dispute.dispute_settled is False


def test_only_disputes_open_a_case_and_only_once(login, submit, dispute, worker_a, organisation):
    light = submit("01037")
    route_report(report_id=light.id)
    _, response = _open(login, worker_a, dispute, organisation)
    assert response.status_code == 302
    _, again = _open(login, worker_a, dispute, organisation)
    assert again.status_code == 409
    assert Case.objects.count() == 1


def test_an_outsider_can_neither_open_nor_see_a_case(
    login, dispute, worker_a, worker_b, worker_far, unit_out, resident, organisation
):
    _open(login, worker_a, dispute, organisation)
    case = Case.objects.get(ticket=dispute)
    _act(login(worker_a), case, "party", {"party_name": "张三", "party_phone": "13811112222"})
    for outsider in (worker_far, unit_out, resident, worker_b):
        client = login(outsider)
        assert client.get(reverse("mediation:case", args=[case.id])).status_code == 404
        response = _act(client, case, "party", {"party_name": "王五"})
        assert response.status_code == 404
        listing = client.get(reverse("mediation:cases"))
        assert "13811112222" not in listing.content.decode()
    assert case.parties.count() == 1


def test_parties_are_erased_per_case_and_the_figures_keep_their_counts(
    login, dispute, worker_a, community_staff, organisation, photo
):
    client, _ = _open(login, worker_a, dispute, organisation)
    case = Case.objects.get(ticket=dispute)
    _act(client, case, "party", {"party_name": "张三", "party_phone": "13811112222"})
    _act(client, case, "mediator", {"name": "李大爷"})
    # A mediator may not erase; the community's staff may, once the case is concluded.
    staff = Client()
    staff.force_login(community_staff, backend="accounts.backends.SlowedDownModelBackend")
    assert _act(staff, case, "erase", {"confirm": "on"}).status_code == 409
    _act(client, case, "conclude", {"outcome": "withdrawn", "photo": photo()})
    assert _act(client, case, "erase", {"confirm": "on"}).status_code == 403
    assert _act(staff, case, "erase", {"confirm": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.parties_erased_at is not None
    assert list(case.parties.values_list("name", "phone")) == [("", "")]
    assert "李大爷" not in staff.get(reverse("mediation:case", args=[case.id])).content.decode()
    assert not Event.objects.filter(note__contains="张三").exists()
