from django.urls import path

from . import views

app_name = "campaign"

urlpatterns = [
    path("mine/", views.my_campaign, name="my_campaign"),
    # Standards
    path("standards/", views.standard_list, name="standard_list"),
    path("standards/install/", views.standards_install, name="standards_install"),
    path("standards/sets/<int:pk>/edit/", views.standard_set_edit, name="standard_set_edit"),
    path(
        "standards/sets/<int:standard_set_pk>/new/", views.standard_create, name="standard_create"
    ),
    path("standards/<int:pk>/edit/", views.standard_edit, name="standard_edit"),
    # Campaigns and phases
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/start/", views.campaign_start, name="campaign_start"),
    path("campaigns/<int:pk>/finish/", views.campaign_finish, name="campaign_finish"),
    path("phases/<int:pk>/edit/", views.phase_edit, name="phase_edit"),
    path("phases/<int:pk>/current/", views.phase_set_current, name="phase_set_current"),
    # Pledges
    path("pledges/", views.pledge_wall, name="pledge_wall"),
    path("pledges/new/", views.pledge_create, name="pledge_create"),
    path("pledges/review/", views.pledge_queue, name="pledge_queue"),
    path("pledges/publish/", views.pledge_publish_all, name="pledge_publish_all"),
    path("pledges/missing/", views.pledge_missing, name="pledge_missing"),
    path("pledges/<int:pk>/", views.pledge_detail, name="pledge_detail"),
    path("pledges/<int:pk>/edit/", views.pledge_edit, name="pledge_edit"),
    path("pledges/<int:pk>/submit/", views.pledge_submit, name="pledge_submit"),
    path("pledges/<int:pk>/approve/", views.pledge_approve, name="pledge_approve"),
    path("pledges/<int:pk>/return/", views.pledge_return, name="pledge_return"),
    path("pledges/<int:pk>/publish/", views.pledge_publish, name="pledge_publish"),
    path("pledges/<int:pk>/judge/", views.pledge_judge, name="pledge_judge"),
    path("pledges/<int:pk>/progress/", views.progress_add, name="progress_add"),
    path("progress/<int:pk>/photo/<str:name>", views.progress_photo, name="progress_photo"),
    path("progress/<int:pk>/edit/", views.progress_edit, name="progress_edit"),
    path("progress/<int:pk>/void/", views.progress_void, name="progress_void"),
    # Leaders' comments
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/new/", views.review_create, name="review_create"),
    path("reviews/coverage/", views.review_coverage, name="review_coverage"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<int:pk>/void/", views.review_void, name="review_void"),
    # Evaluation by the masses
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/open/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/results/", views.round_results, name="round_results"),
    path("rounds/<int:pk>/vote/", views.round_vote, name="round_vote"),
    path("ballots/<int:subject_pk>/", views.ballot_cast, name="ballot_cast"),
    # Commendation
    path("nominations/", views.nomination_list, name="nomination_list"),
    path("nominations/new/", views.nomination_create, name="nomination_create"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path(
        "nominations/<int:pk>/recommend/", views.nomination_recommend, name="nomination_recommend"
    ),
    path("nominations/<int:pk>/report/", views.nomination_report, name="nomination_report"),
    path("nominations/<int:pk>/withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path("nominations/<int:pk>/decline/", views.nomination_decline, name="nomination_decline"),
    path("nominations/<int:pk>/award/", views.nomination_award, name="nomination_award"),
    path("nominations/<int:pk>/dates/", views.nomination_dates_edit, name="nomination_dates_edit"),
    path("honours/", views.honour_list, name="honour_list"),
]
