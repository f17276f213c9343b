#!/usr/bin/env python3
"""Checks a page as Chromium rendered it (chromium --dump-dom): check_dom.py DOM.html SPEC...

SPEC is one of
  bars:SVG_ID=N        the <svg id=SVG_ID> holds exactly N <rect class="bar ..."> elements
  cells:TABLE_ID=A,B   every listed text appears as a cell of <table id=TABLE_ID>
  rows:TABLE_ID=N      <table id=TABLE_ID> has N rows after its header row
  text:WORDS           the visible text contains WORDS
Also refuses any <script>, <link>, <img>, <iframe> or url( in the page: it must be self-contained.
"""
import sys
from html.parser import HTMLParser


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []          # (tag, id) of open elements
        self.bars = {}           # svg id -> rect.bar count
        self.cells = {}          # table id -> [cell texts]
        self.rows = {}           # table id -> number of <tr>
        self.cell = None
        self.text = []
        self.forbidden = []

    def within(self, tag):
        for t, i in reversed(self.stack):
            if t == tag:
                return i
        return None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "link", "img", "iframe", "object", "embed"):
            self.forbidden.append(tag)
        if "url(" in (a.get("style") or ""):
            self.forbidden.append("style url(")
        if tag == "rect" and "bar" in (a.get("class") or "").split():
            svg = self.within("svg")
            self.bars[svg] = self.bars.get(svg, 0) + 1
        if tag == "tr":
            t = self.within("table")
            self.rows[t] = self.rows.get(t, 0) + 1
        if tag in ("td", "th"):
            self.cell = []
        if tag not in VOID:
            self.stack.append((tag, a.get("id")))

    def handle_startendtag(self, tag, attrs):  # <line/>: opened and closed at once
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            t = self.within("table")
            self.cells.setdefault(t, []).append("".join(self.cell).strip())
            self.cell = None
        if any(t == tag for t, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if self.within("style") is not None:
            if "url(" in data or "@import" in data:
                self.forbidden.append("css url(")
            return
        self.text.append(data)
        if self.cell is not None:
            self.cell.append(data)


def main():
    dom = Dom()
    with open(sys.argv[1], encoding="utf-8") as f:
        dom.feed(f.read())
    text = " ".join(" ".join(dom.text).split())
    fail = []
    if dom.forbidden:
        fail.append("not self-contained: " + ", ".join(sorted(set(dom.forbidden))))
    for spec in sys.argv[2:]:
        kind, _, rest = spec.partition(":")
        if kind == "text":
            if rest not in text:
                fail.append("text %r not on the page" % rest)
            continue
        key, _, want = rest.partition("=")
        if kind == "bars":
            got = dom.bars.get(key, 0)
            if got != int(want):
                fail.append("svg#%s holds %d bars, expected %s" % (key, got, want))
        elif kind == "rows":
            got = dom.rows.get(key, 0) - 1
            if got != int(want):
                fail.append("table#%s has %d rows, expected %s" % (key, got, want))
        elif kind == "cells":
            cells = dom.cells.get(key, [])
            for w in want.split(","):
                if w not in cells:
                    fail.append("table#%s has no cell %r" % (key, w))
    for f in fail:
        print("  " + f)
    sys.exit(1 if fail else 0)


main()
