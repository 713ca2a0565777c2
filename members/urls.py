from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/active/", views.person_set_active, name="person_set_active"),
    path("people/<int:pk>/unlock/", views.person_unlock, name="person_unlock"),
    path(
        "people/<int:pk>/reset-password/", views.person_reset_password, name="person_reset_password"
    ),
    path("people/import/", views.person_import, name="person_import"),
    path("people/import/template.xlsx", views.import_template, name="import_template"),
    path("people/credentials/", views.credentials, name="credentials"),
    path("people/credentials/download/", views.credentials_download, name="credentials_download"),
    path("directory/", views.directory, name="directory"),
    path("leadership/", views.leadership, name="leadership"),
    path("leadership/new/", views.responsibility_edit, name="responsibility_create"),
    path("leadership/<int:pk>/edit/", views.responsibility_edit, name="responsibility_edit"),
    path("leadership/<int:pk>/delete/", views.responsibility_delete, name="responsibility_delete"),
    path("audit/", views.audit_log, name="audit_log"),
    path("address-qr.svg", views.address_qr, name="address_qr"),
]
