"""A revert is planned before it takes the write lock, and a big batch's confirmation page
shows a plan worked out by a background job, not in the request (issue 10, round 4)."""

from cadres.models import Cadre
from courses.models import Enrolment
from imports.models import ImportBatch, Job
from imports.services import plan_revert, revert_batch, revert_state

from .test_revert import by_hand, choose_revert, imported


def plan_jobs(batch):
    return Job.objects.filter(kind=Job.Kind.REVERT, batch=batch, params__plan_only=True)


def test_a_big_batch_is_planned_by_a_job_and_its_plan_shown(client, courses, admin_user, settings):
    settings.IMPORT_TASK_MIN_ROWS = 2  # the fixture's few rows count as a big batch
    batch = imported()
    client.force_login(admin_user)

    page = choose_revert(client, batch)

    assert page.status_code == 200
    job = plan_jobs(batch).get()
    assert job.status == Job.Status.DONE  # the test backend runs the job at once
    html = page.content.decode()
    assert 'id="confirm-revert"' in html
    assert "revert-remove" in html
    removed = dict(job.result["plan"]["removed_counts"])
    assert removed["cadres"] == Cadre.objects.filter(import_batch=batch).count()
    assert ImportBatch.objects.get(pk=batch.pk).status == "applied"  # nothing written

    # Shown again with nothing changed since: the same plan, no new job.
    choose_revert(client, batch)
    assert plan_jobs(batch).count() == 1

    # A person edited by hand meanwhile: the old plan is no longer true, a new one is made.
    tuan = Cadre.objects.get(full_name="Lê Minh Tuấn")
    tuan.email = "tuan.lm@hagiang.gov.vn"
    by_hand(tuan, admin_user)
    html = choose_revert(client, batch).content.decode()
    assert plan_jobs(batch).count() == 2
    assert "changed by admin" in html

    response = choose_revert(client, batch, confirm=True)
    assert response.status_code == 302
    assert ImportBatch.objects.get(pk=batch.pk).status == "reverted"
    assert list(Cadre.objects.values_list("full_name", flat=True)) == ["Lê Minh Tuấn"]


def test_while_the_plan_is_worked_out_the_page_offers_no_revert_yet(
    client, courses, admin_user, settings
):
    settings.IMPORT_TASK_MIN_ROWS = 2
    batch = imported()
    # The worker has not picked the plan job up yet.
    waiting = Job.objects.create(
        kind=Job.Kind.REVERT,
        user=admin_user,
        title="plan",
        batch=batch,
        total=batch.rows,
        params={"batch": batch.pk, "plan_only": True, "language": "en"},
    )
    client.force_login(admin_user)

    html = choose_revert(client, batch).content.decode()

    assert "revert-planning" in html
    assert 'id="confirm-revert"' not in html
    assert 'id="show-plan"' in html
    assert f"/job/{waiting.pk}/" in html
    assert plan_jobs(batch).count() == 1  # the waiting job is not started twice
    assert ImportBatch.objects.get(pk=batch.pk).status == "applied"


def test_a_small_batch_is_still_planned_on_the_page(client, courses, admin_user):
    batch = imported()
    client.force_login(admin_user)
    html = choose_revert(client, batch).content.decode()
    assert 'id="confirm-revert"' in html
    assert not plan_jobs(batch).exists()


def test_an_edit_made_while_the_revert_was_planned_is_kept(courses, admin_user):
    """The plan is made without the lock; an edit between the plan and the lock is seen
    once the lock is held, and the revert plans again instead of deleting that person."""
    batch = imported()
    state = revert_state(batch)
    plan = plan_revert(batch, user=admin_user)
    tuan = Cadre.objects.get(full_name="Lê Minh Tuấn")
    assert tuan.pk in plan.remove["cadres.cadre"]

    tuan.email = "tuan.lm@hagiang.gov.vn"
    by_hand(tuan, admin_user)  # meanwhile, by hand
    reverted = revert_batch(batch, user=admin_user, plan=plan, state=state)

    assert reverted.status == "reverted"
    assert Cadre.objects.get(pk=tuan.pk).email == "tuan.lm@hagiang.gov.vn"
    assert not Enrolment.objects.filter(import_batch=batch).exists()
    assert ("cadres.cadre", tuan.pk) in reverted.revert_plan.kept_rows


def test_with_nothing_changed_the_plan_made_before_the_lock_is_the_one_applied(courses, admin_user):
    batch = imported()
    state = revert_state(batch)
    plan = plan_revert(batch, user=admin_user)
    reverted = revert_batch(batch, user=admin_user, plan=plan, state=state)
    assert reverted.revert_plan is plan
    assert not Cadre.objects.filter(import_batch=batch).exists()
    assert not Enrolment.objects.filter(import_batch=batch).exists()
