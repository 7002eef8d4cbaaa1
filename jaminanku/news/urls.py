from django.urls import path

from jaminanku.news import views

app_name = "news"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("feed.atom", views.ArticleFeed(), name="feed"),
    path("pratinjau/<int:pk>/", views.article_preview, name="preview"),
    path("<slug:slug>/", views.article_detail, name="detail"),
]
