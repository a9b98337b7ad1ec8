from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Vietnamese first: the interface is in LANGUAGE_CODE unless the user chose another
    language with the switch (the language cookie). Unlike Django's LocaleMiddleware, the
    browser's Accept-Language is not followed: a ministry's computers often run an English
    browser, and their users still expect the Vietnamese interface."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        languages = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
