from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    path("schools/<slug:slug>/users/", views.SchoolUserList.as_view(), name="api-school-users"),
    path(
        "schools/<slug:slug>/invitations/",
        views.InvitationListCreate.as_view(),
        name="api-invitations",
    ),
    path(
        "schools/<slug:slug>/invitations/<int:pk>/revoke/",
        views.InvitationRevoke.as_view(),
        name="api-invitation-revoke",
    ),
    path(
        "invitations/<str:token>/accept/",
        views.InvitationAccept.as_view(),
        name="api-invitation-accept",
    ),
    path("notifications/", views.NotificationList.as_view(), name="api-notifications"),
    path("notifications/read/", views.NotificationsRead.as_view(), name="api-notifications-read"),
    path("tokens/", views.TokenListCreate.as_view(), name="api-tokens"),
    path("tokens/<int:pk>/", views.TokenRevoke.as_view(), name="api-token-revoke"),
]
