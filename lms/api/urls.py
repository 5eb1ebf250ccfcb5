from django.urls import path

from . import people, views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    path("schools/<slug:slug>/users/", views.SchoolUserList.as_view(), name="api-school-users"),
    path(
        "schools/<slug:slug>/invitations/",
        views.InvitationListCreate.as_view(),
        name="api-invitations",
    ),
    path(
        "schools/<slug:slug>/invitations/<id:pk>/revoke/",
        views.InvitationRevoke.as_view(),
        name="api-invitation-revoke",
    ),
    path(
        "schools/<slug:slug>/users/<id:pk>/",
        people.SchoolPersonDetail.as_view(),
        name="api-school-user",
    ),
    path(
        "schools/<slug:slug>/invitations/<id:pk>/resend/",
        people.InvitationResend.as_view(),
        name="api-invitation-resend",
    ),
    path(
        "schools/<slug:slug>/invitations/batch/",
        people.InvitationBatch.as_view(),
        name="api-invitation-batch",
    ),
    path(
        "invitations/<str:token>/accept/",
        views.InvitationAccept.as_view(),
        name="api-invitation-accept",
    ),
    path("notifications/", views.NotificationList.as_view(), name="api-notifications"),
    path("notifications/read/", views.NotificationsRead.as_view(), name="api-notifications-read"),
    path("tokens/", views.TokenListCreate.as_view(), name="api-tokens"),
    path("tokens/<id:pk>/", views.TokenRevoke.as_view(), name="api-token-revoke"),
]
