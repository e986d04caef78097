"""The build and the browser stem words the same way: generator/search.py with PyPI's
snowballstemmer, search.js with the Snowball stemmers vendored in templates/static/stemmers.js.
If one side were upgraded alone, queries would stop meeting the index; this test says so."""
from __future__ import annotations

import pytest

from generator.search import STEMMERS, normalise, stem, tokens
from tests.browser import open_context

# Inflections and spellings of the words entries and visitors use, in each language entries use.
WORDS = {
    "en": "suicide suicidal suicides helplines helpline counselling counsellors counseling anxious anxiety "
          "worried worrying depressed depression grieving bereaved bereavement lonely loneliness loneliest "
          "struggling volunteers listening listened children teenagers young parenting carers veterans "
          "addiction addicted drinking gambling pregnancy postnatal abused trauma traumatic flashbacks",
    "fr": "suicide suicidaire écoute écouter écoutants bénévoles anonymement solitude jeunes enfants "
          "prévention professionnels santé détresse angoisse amitié déprimé",
    "de": "selbstmord suizid kummer kinder jugendliche telefonseelsorge seelsorge einsamkeit ängste "
          "beratung beraterinnen gespräche anonym kostenlos traurigkeit",
    "es": "suicidio suicidas línea ayuda jóvenes niños ansiedad depresión soledad escuchar "
          "confidencial gratuita pensamientos",
    "nl": "zelfmoord zelfmoordpreventie gedachten hulplijn eenzaamheid jongeren kinderen anoniem "
          "praten gesprekken",
    "pt": "suicídio valorização vida prevenção voluntários ansiedade depressão solidão conversar "
          "atendimento gratuito",
    "hi": "आत्महत्या हिंदी हिन्दी मदद परेशानी चिंता अकेलापन बच्चों लड़कियाँ किताबें दोस्तों मानसिक स्वास्थ्य",
    "ar": "الحزن حزن الشباب شباب القلق الاكتئاب الوحدة انتحارية انتحار الأطفال خطوط المساعدة مساعدة",
}


def test_every_stemming_language_has_a_word_list():
    assert set(WORDS) == set(STEMMERS)


def test_build_and_browser_give_the_same_stems(chromium, sample_site):
    watched = open_context(chromium, sample_site.url)
    page = watched.page()
    page.goto(sample_site.url + "/search/")
    words = {language: tokens(text) for language, text in WORDS.items()}
    classes = {language: name.capitalize() + "Stemmer" for language, name in STEMMERS.items()}
    browser = page.evaluate("""([words, classes]) => Object.fromEntries(Object.entries(words).map(([l, list]) => {
        const stemmer = new window[classes[l]]();
        return [l, list.map((w) => stemmer.stemWord(w))];
    }))""", [words, classes])
    watched.context.close()
    for language, listed in words.items():
        assert browser[language] == [stem(word, language) for word in listed], language
    assert stem("suicidal", "en") == stem("suicide", "en")  # the point of stemming at all


@pytest.mark.parametrize("text", ["Amitié ÉCOUTE", "हिंदी हिन्दी", "Zürich São Paulo Łódź", "Ñandú straße İstanbul"])
def test_build_and_browser_normalise_alike(chromium, sample_site, text):
    watched = open_context(chromium, sample_site.url)
    page = watched.page()
    page.goto(sample_site.url + "/404.html")
    # search.js's normalise and tokens, as written there.
    browser = page.evaluate("""(s) => (s.toLowerCase().normalize("NFKD").replace(/[\\u0300-\\u036f]/g, "")
        .normalize("NFC").match(/[\\p{L}\\p{M}\\p{N}]+/gu) || []).filter((w) => w.length > 1)""", text)
    watched.context.close()
    assert browser == tokens(text)
    assert normalise("हिंदी") == "हिंदी"  # Devanagari keeps its vowel signs
