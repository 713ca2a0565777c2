"""URL names follow <object>_<verb> (`reflection_like`, `distribution_create`). `pk` is always the
object the name is about; a parent in the path is named for what it is (`activity_pk`)."""

from django.urls import path

from . import views

app_name = "reading"

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("new/", views.activity_create, name="activity_create"),
    path("forum/", views.forum_current, name="forum_current"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/stats/", views.activity_stats, name="activity_stats"),
    path("<int:activity_pk>/people/", views.participant_list, name="participant_list"),
    # Phase 1
    path("<int:activity_pk>/recommend/", views.recommendation_edit, name="recommendation_edit"),
    path(
        "<int:activity_pk>/recommendations/",
        views.recommendation_list,
        name="recommendation_list",
    ),
    path(
        "recommendations/<int:pk>/endorse/",
        views.recommendation_endorse,
        name="recommendation_endorse",
    ),
    path("<int:activity_pk>/select/", views.selection_create, name="selection_create"),
    # Purchase and hand-out
    path("<int:activity_pk>/purchases/", views.purchase_list, name="purchase_list"),
    path("<int:activity_pk>/purchases/new/", views.purchase_create, name="purchase_create"),
    path("purchases/<int:pk>/invoice/<str:name>", views.purchase_invoice, name="purchase_invoice"),
    path("purchases/<int:pk>/edit/", views.purchase_edit, name="purchase_edit"),
    path("purchases/<int:pk>/void/", views.purchase_void, name="purchase_void"),
    path("<int:activity_pk>/handout/", views.distribution_list, name="distribution_list"),
    path(
        "<int:activity_pk>/handout/issue/",
        views.distribution_create,
        name="distribution_create",
    ),
    path("handout/<int:pk>/confirm/", views.distribution_confirm, name="distribution_confirm"),
    path(
        "handout/<int:pk>/confirm-for/",
        views.distribution_confirm_for,
        name="distribution_confirm_for",
    ),
    path("handout/<int:pk>/void/", views.distribution_void, name="distribution_void"),
    # Phase 2
    path("<int:activity_pk>/progress/", views.progress_list, name="progress_list"),
    path("<int:activity_pk>/progress/update/", views.progress_update, name="progress_update"),
    # Phase 3: the forum
    path("<int:activity_pk>/forum/", views.reflection_list, name="reflection_list"),
    path("<int:activity_pk>/forum/new/", views.reflection_create, name="reflection_create"),
    path("<int:activity_pk>/forum/comments/", views.comment_list, name="comment_list"),
    path("<int:activity_pk>/showcase/", views.reflection_showcase, name="reflection_showcase"),
    path("<int:activity_pk>/publicity/", views.reflection_publicity, name="reflection_publicity"),
    path("posts/<int:pk>/", views.reflection_detail, name="reflection_detail"),
    path("posts/<int:pk>/edit/", views.reflection_edit, name="reflection_edit"),
    path("posts/<int:pk>/revisions/", views.reflection_revisions, name="reflection_revisions"),
    path("posts/<int:reflection_pk>/comment/", views.comment_create, name="comment_create"),
    path("posts/<int:pk>/like/", views.reflection_like, name="reflection_like"),
    path("posts/<int:pk>/feature/", views.reflection_feature, name="reflection_feature"),
    path("posts/<int:pk>/hide/", views.reflection_hide, name="reflection_hide"),
    path("comments/<int:pk>/hide/", views.comment_hide, name="comment_hide"),
]
