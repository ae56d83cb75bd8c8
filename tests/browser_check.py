#!/usr/bin/env python3
"""Checks a dashboard as Chromium rendered it (the DOM it dumped): the
page is whole and self-contained, has the sections and figures expected,
and its tables, headings and badges are accessible.
Usage: browser_check.py DOM.html EXPECTED_SECTIONS FIGURE..."""
import sys
from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.ids = set()
        self.text = []
        self.external = []
        self.tables = 0
        self.tables_with_headers = 0
        self.in_table = False
        self.table_has_th = False
        self.scripts = 0
        self.h1 = 0
        self.badges = 0
        self.badge_text_ok = True
        self.in_badge = False
        self.badge_text = ''

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'html':
            self.lang = a.get('lang')
        if 'id' in a:
            self.ids.add(a['id'])
        for attr in ('src', 'href'):
            v = a.get(attr)
            if v and not v.startswith('#') and not v.startswith('data:'):
                self.external.append(v)
        if tag == 'link' or tag == 'script':
            self.scripts += 1
        if tag == 'table':
            self.tables += 1
            self.in_table = True
            self.table_has_th = False
        if tag == 'th' and self.in_table:
            self.table_has_th = True
        if tag == 'h1':
            self.h1 += 1
        if tag == 'span' and 'badge' in (a.get('class') or ''):
            self.badges += 1
            self.in_badge = True
            self.badge_text = ''

    def handle_endtag(self, tag):
        if tag == 'table':
            self.in_table = False
            self.tables_with_headers += self.table_has_th
        if tag == 'span' and self.in_badge:
            self.in_badge = False
            # a level is never told by colour alone: a shape and a word
            if len(self.badge_text.strip()) < 3:
                self.badge_text_ok = False

    def handle_data(self, data):
        self.text.append(data)
        if self.in_badge:
            self.badge_text += data


def main():
    dom, sections, figures = sys.argv[1], sys.argv[2].split(','), sys.argv[3:]
    page = Page()
    with open(dom, encoding='utf-8') as f:
        page.feed(f.read())
    # a word joiner keeps a minus sign to its figure; a reader sees none
    text = ' '.join(page.text).replace('\u2060', '')
    problems = []
    if page.lang != 'en-GB':
        problems.append(f'no lang="en-GB" on <html> ({page.lang})')
    if page.external:
        problems.append(f'fetches from outside: {page.external[:3]}')
    if page.scripts:
        problems.append('has <script> or <link>: it must be self-contained and work without JavaScript')
    if page.h1 != 1:
        problems.append(f'{page.h1} <h1> headings')
    if page.tables != page.tables_with_headers:
        problems.append(f'{page.tables - page.tables_with_headers} tables without header cells')
    if not page.badge_text_ok:
        problems.append('a level badge shows no label')
    for s in sections:
        if s and f'section-{s}' not in page.ids:
            problems.append(f'section {s} is missing')
    for fig in figures:
        if fig not in text:
            problems.append(f'figure {fig!r} is not on the page')
    for p in problems:
        print(f'{dom}: {p}')
    return 1 if problems else 0


sys.exit(main())
