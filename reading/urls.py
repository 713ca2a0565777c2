from django.urls import path

from . import views

app_name = "reading"

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("new/", views.activity_create, name="activity_create"),
    path("forum/", views.current_forum, name="current_forum"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/people/", views.participants, name="participants"),
    path("<int:pk>/summary/", views.summary, name="summary"),
    # Phase 1
    path("<int:pk>/recommend/", views.recommendation_edit, name="recommendation_edit"),
    path("<int:pk>/recommendations/", views.tally, name="tally"),
    path("recommendations/<int:pk>/endorse/", views.endorse, name="endorse"),
    path("<int:pk>/select/", views.select_books, name="select_books"),
    # Purchase and hand-out
    path("<int:pk>/purchases/", views.purchase_list, name="purchase_list"),
    path("<int:pk>/purchases/new/", views.purchase_create, name="purchase_create"),
    path("purchases/<int:pk>/invoice/", views.purchase_invoice, name="purchase_invoice"),
    path("<int:pk>/handout/", views.ledger, name="ledger"),
    path("<int:pk>/handout/issue/", views.issue, name="issue"),
    path("handout/<int:pk>/confirm/", views.confirm_receipt, name="confirm_receipt"),
    # Phase 2
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/progress/update/", views.progress_update, name="progress_update"),
    # Phase 3: the forum
    path("<int:pk>/forum/", views.reflection_list, name="reflection_list"),
    path("<int:pk>/forum/new/", views.reflection_create, name="reflection_create"),
    path("<int:pk>/forum/comments/", views.comment_list, name="comment_list"),
    path("<int:pk>/showcase/", views.showcase, name="showcase"),
    path("<int:pk>/publicity/", views.publicity, name="publicity"),
    path("posts/<int:pk>/", views.reflection_detail, name="reflection_detail"),
    path("posts/<int:pk>/edit/", views.reflection_edit, name="reflection_edit"),
    path("posts/<int:pk>/revisions/", views.reflection_revisions, name="reflection_revisions"),
    path("posts/<int:pk>/comment/", views.comment_create, name="comment_create"),
    path("posts/<int:pk>/like/", views.like, name="like"),
    path("posts/<int:pk>/feature/", views.feature, name="feature"),
    path("posts/<int:pk>/hide/", views.reflection_hide, name="reflection_hide"),
    path("comments/<int:pk>/hide/", views.comment_hide, name="comment_hide"),
]
