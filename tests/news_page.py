"""A real-looking news page (navigation, ads, related links, comments around the story).

Shared by the `url` source tests and the end-to-end source tests: `from news_page import ...`.
The story is what a correct extractor keeps; everything in AROUND_THE_STORY it must drop.
"""

STORY = [
    "Mark Rutte takes over as NATO chief",
    "Former Dutch prime minister Mark Rutte became NATO Secretary-General on 1 October 2024, "
    "succeeding Jens Stoltenberg at a handover ceremony at the alliance's headquarters in "
    "Brussels.",
    "Rutte, who led the Netherlands for 14 years, was appointed by the North Atlantic Council "
    "in June after Romanian President Klaus Iohannis withdrew from the race.",
    "In his first speech as Secretary-General, Rutte said supporting Ukraine and strengthening "
    "the alliance's defence industry would be among his priorities.",
]

AROUND_THE_STORY = [
    "Subscribe now for 1 euro a week",
    "Sponsored: the best travel deals of the season",
    "Most read: ten recipes for the autumn",
    "This is fake news, nobody voted for him!",
    "Copyright 2024 Brussels Herald Media Group",
]


def news_page_html(charset: str = "utf-8", meta_charset: bool = True) -> str:
    """Return the page as HTML text (encode it with `charset` before serving)."""
    meta = f'<meta charset="{charset}">' if meta_charset else ""
    headline, *paragraphs = STORY
    story = "\n".join(f"      <p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  {meta}
  <title>{headline} | The Brussels Herald</title>
  <meta property="og:title" content="{headline}">
  <script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "article"}});</script>
</head>
<body>
  <header>
    <nav class="main-nav"><ul>
      <li><a href="/">Home</a></li><li><a href="/world">World</a></li>
      <li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li>
    </ul></nav>
    <div class="subscribe-banner"><a href="/subscribe">{AROUND_THE_STORY[0]}</a></div>
  </header>
  <div class="ad ad-leaderboard" id="div-gpt-ad-top"><p>{AROUND_THE_STORY[1]}</p></div>
  <main>
    <article class="story">
      <h1>{headline}</h1>
      <p class="byline">By Anna de Vries, Brussels correspondent · 1 October 2024</p>
{story}
    </article>
    <aside class="related"><h3>Most read</h3><ul>
      <li><a href="/food/recipes">{AROUND_THE_STORY[2]}</a></li>
      <li><a href="/sport/cycling">Cycling: a record season ends in Lombardy</a></li>
    </ul></aside>
    <section id="comments" class="comments">
      <h3>Comments (2)</h3>
      <div class="comment"><p class="author">anon123</p><p>{AROUND_THE_STORY[3]}</p></div>
      <div class="comment"><p class="author">Piet</p><p>Good luck to him.</p></div>
    </section>
  </main>
  <footer><p>{AROUND_THE_STORY[4]}</p><a href="/privacy">Privacy</a></footer>
</body>
</html>
"""
