# Pages of this app arrive with its issue; the namespace is reserved in config/urls.py.
app_name = "reading"

urlpatterns: list = []
