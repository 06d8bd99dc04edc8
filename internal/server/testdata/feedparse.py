"""Parse each feed address given on the command line with Python's
feedparser (Debian's python3-feedparser), the parser most feed readers
and scripts outside Go use, and print one JSON line per address: what a
reader would see. The Go test (wp_feeds_test.go) checks the lines."""
import json
import sys

import feedparser

for url in sys.argv[1:]:
    d = feedparser.parse(url)
    print(json.dumps({
        "url": url,
        "status": d.get("status"),
        "version": d.get("version"),
        "bozo": int(d.get("bozo", 0)),
        "error": str(d.get("bozo_exception", "")),
        "title": d.feed.get("title", ""),
        "entries": [e.get("title", "") for e in d.entries],
    }, ensure_ascii=False))
