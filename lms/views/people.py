"""The school administrator's People pages: who is in the school, their roles, invitations."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms import people, selectors, services
from lms.errors import NotFound, ServiceError
from lms.forms import InvitationBatchForm, InvitationForm, RolesForm
from lms.models import Role

from .helpers import add_service_error

PAGE_SIZE = 50


@login_required
def school_people(request, slug):
    school = selectors.school_administered_by(request.user, slug)
    role = request.GET.get("role") if request.GET.get("role") in Role.values else ""
    query = request.GET.get("q", "").strip()
    page = Paginator(
        selectors.school_people_in_name_order(school=school, role=role, query=query), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    form = InvitationForm(request.POST or None)
    invitation_link = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _invitation, raw = people.invitation_invite(
                    by=request.user, school=school, **form.cleaned_data
                )
            except ServiceError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                invitation_link = request.build_absolute_uri(
                    reverse("invitation_accept", args=[raw])
                )
                messages.success(
                    request,
                    _("An invitation was sent to %(email)s.")
                    % {"email": form.cleaned_data["email"]},
                )
                form = InvitationForm()
        else:
            status = 400
    return render(
        request,
        "lms/school_people.html",
        {
            "school": school,
            "page": page,
            "role": role,
            "query": query,
            "roles": Role.choices,
            "counts": selectors.school_role_counts(school),
            "form": form,
            "invitation_link": invitation_link,
            "invitations": selectors.school_invitations(school=school)[:20],
        },
        status=status,
    )


def _back(request, school):
    # Keep the administrator on the page (filter, search, page number) they acted from.
    target = request.POST.get("next", "")
    base = reverse("school_people", args=[school.slug])
    return redirect(target if target.startswith(base) else base)


@login_required
@require_POST
def person_roles(request, slug, user_id):
    school = selectors.school_administered_by(request.user, slug)
    form = RolesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown role."))
        return _back(request, school)
    try:
        user = people.membership_roles_set(
            by=request.user, school=school, user_id=user_id, roles=form.cleaned_data["roles"]
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The roles of %(name)s were saved.") % {"name": user.full_name or user.email}
        )
    return _back(request, school)


@login_required
@require_POST
def person_active(request, slug, user_id):
    school = selectors.school_administered_by(request.user, slug)
    active = request.POST.get("action") == "reactivate"
    try:
        user = people.school_user_set_active(
            by=request.user, school=school, user_id=user_id, active=active
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        name = user.full_name or user.email
        if active:
            messages.success(request, _("%(name)s can sign in again.") % {"name": name})
        else:
            messages.success(
                request,
                _("%(name)s was deactivated and can no longer sign in. Their work is kept.")
                % {"name": name},
            )
    return _back(request, school)


@login_required
@require_POST
def invitation_resend(request, slug, pk):
    school = selectors.school_administered_by(request.user, slug)
    try:
        invitation, _raw = people.invitation_resend(
            by=request.user, school=school, invitation_id=pk
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("A new link was sent to %(email)s; the old one no longer works.")
            % {"email": invitation.email},
        )
    return _back(request, school)


@login_required
@require_POST
def invitation_revoke(request, slug, pk):
    school = selectors.school_administered_by(request.user, slug)
    invitation = selectors.school_invitations(school=school).filter(pk=pk).first()
    if invitation is None:
        raise NotFound()
    try:
        services.invitation_revoke(invitation=invitation)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The invitation was withdrawn."))
    return _back(request, school)


@login_required
def invite_many(request, slug):
    """Paste a list of people, see what each line would do, then send the invitations."""
    school = selectors.school_administered_by(request.user, slug)
    form = InvitationBatchForm(request.POST or None)
    preview = None
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                previewed = request.POST.get("previewed") == _digest(form.cleaned_data)
                # Text changed after the preview: show what the new text does first.
                if request.POST.get("action") == "apply" and previewed:
                    result = people.invitation_batch_apply(
                        by=request.user, school=school, **form.cleaned_data
                    )
                else:
                    preview = people.invitation_batch_preview(
                        by=request.user, school=school, **form.cleaned_data
                    )
            except ServiceError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                if preview is None:
                    messages.success(
                        request,
                        _(
                            "Invitations sent: %(sent)s. Already in the school or invited: "
                            "%(unchanged)s. Refused: %(error)s."
                        )
                        % {
                            "sent": result["sent"],
                            "unchanged": result["member"] + result["invited"],
                            "error": result["error"],
                        },
                    )
                    return redirect("school_people", slug=school.slug)
    return render(
        request,
        "lms/people_invite.html",
        {
            "school": school,
            "form": form,
            "preview": preview,
            "previewed": _digest(form.cleaned_data) if preview else "",
        },
        status=status,
    )


def _digest(data: dict) -> str:
    text = "\n".join(line.strip() for line in data["text"].splitlines() if line.strip())
    return hashlib.sha256(f"{data['role']}\n{text}".encode()).hexdigest()
