"""A small, invented newsroom for `make run`: The Larkspur Bay Courier.

Every name, place and quotation here is made up. Safe to run again and again: rows are found
by slug and updated, and a published date is only chosen when an article is first created,
so links stay stable across runs. Four articles get a featured image: an illustration drawn
here with Pillow, stored once through the media library (see PICTURES).
"""

import io
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles import imaging
from articles.media import Image
from articles.models import Article, ArticleAuthor, Author, Category
from articles.sanitizer import sanitize_article_html

AUTHORS = [
    {
        "slug": "mara-okafor",
        "name": "Mara Okafor",
        "bio": "Mara covers the town hall, the harbour board and anything with a budget line. "
        "Before the Courier she spent six years on the night desk of a regional daily.",
    },
    {
        "slug": "tomasz-wren",
        "name": "Tomasz Wren",
        "bio": "Tomasz writes about the bay, the weather and the people who measure both. "
        "He keeps a tide table taped to his monitor.",
    },
    {
        "slug": "imogen-salt",
        "name": "Imogen Salt",
        "bio": "Imogen reviews plays, exhibitions and the occasional brass band. "
        "She grew up above the bakery on Quay Street.",
    },
    {
        "slug": "dev-pillai",
        "name": "Dev Pillai",
        "bio": "Dev follows Larkspur Rovers home and away, and the rowing club when the "
        "water allows.",
    },
]

CATEGORIES = [
    {
        "slug": "town-hall",
        "name": "Town Hall",
        "description": "Council decisions, budgets and the people who make them.",
    },
    {
        "slug": "environment",
        "name": "Environment",
        "description": "The bay, the dunes, the weather and what we do to them.",
    },
    {
        "slug": "culture",
        "name": "Culture",
        "description": "Stage, gallery, page and bandstand.",
    },
    {
        "slug": "sport",
        "name": "Sport",
        "description": "Football, rowing and the Saturday park run.",
    },
]

ARTICLES = [
    {
        "slug": "harbour-wall-repairs-approved",
        "days_ago": 0.2,
        "category": "town-hall",
        "authors": ["mara-okafor"],
        "title": "Council approves harbour wall repairs after winter storms",
        "standfirst": "Councillors voted seven to two for a two-year programme, paid for "
        "partly from the reserve fund the town has been saving since 2019.",
        "body": """
<p>Larkspur Bay town council approved a two-year programme of repairs to the east harbour
wall on Tuesday night, after a meeting that ran well past ten o'clock.</p>
<p>The wall lost a stretch of capping stones in February's storms, and the harbour master
has kept the outer steps closed since.</p>
<h2>What the money pays for</h2>
<ul>
  <li>Replacing around forty metres of capping stones on the seaward side.</li>
  <li>Re-pointing the inner face, last done in the 1980s.</li>
  <li>New handrails and lighting on the outer steps.</li>
</ul>
<blockquote><p>We can patch it every winter, or we can fix it once. Tonight we chose to fix
it.</p></blockquote>
<p>Two councillors voted against, arguing that the reserve fund should be kept for the
library roof. The first contractors are expected on site in the spring.</p>
""",
    },
    {
        "slug": "budget-in-numbers",
        "days_ago": 1.1,
        "category": "town-hall",
        "authors": ["mara-okafor", "tomasz-wren"],
        "title": "Where the town's money goes next year, in five numbers",
        "standfirst": "The draft budget is out. We read all ninety pages so you don't have to.",
        "body": """
<p>The council published its draft budget for next year on Friday. Residents have four
weeks to comment before the final vote.</p>
<h2>The headline figures</h2>
<figure>
  <table>
    <caption>Draft budget, main lines</caption>
    <thead><tr><th scope="col">Line</th><th scope="col">Amount</th></tr></thead>
    <tbody>
      <tr><td>Harbour and sea defences</td><td>£1.4m</td></tr>
      <tr><td>Library and community rooms</td><td>£310,000</td></tr>
      <tr><td>Street lighting</td><td>£180,000</td></tr>
      <tr><td>Dune restoration</td><td>£95,000</td></tr>
      <tr><td>Summer festival grant</td><td>£40,000</td></tr>
    </tbody>
  </table>
  <figcaption>Figures from the council's draft budget, rounded.</figcaption>
</figure>
<p>Sea defences take the largest share for the third year running. The dune restoration
money is new: it follows last year's survey showing the northern dunes retreating by
more than a metre a year.</p>
<h2>How to comment</h2>
<p>Comments can be left at the town hall reception or at the library until the end of
the month.</p>
""",
    },
    {
        "slug": "northern-dunes-survey",
        "days_ago": 2.3,
        "category": "environment",
        "authors": ["tomasz-wren"],
        "title": "Northern dunes are retreating faster than expected, survey finds",
        "standfirst": "Volunteers with measuring poles have tracked the dune line every "
        "month for three years. The trend is clear.",
        "body": """
<p>Every first Sunday of the month, a dozen volunteers walk the northern dunes with
measuring poles and a notebook. Their third annual report, published this week, shows
the dune line moving inland faster than in either of the previous years.</p>
<h2>What they measured</h2>
<ol>
  <li>The distance from fixed marker posts to the foot of the dune.</li>
  <li>The height of the dune crest at twelve points.</li>
  <li>Where marram grass has taken hold, and where it has died back.</li>
</ol>
<blockquote><p>The storms take the sand, and the footpaths stop the grass from holding
what is left.</p></blockquote>
<p>The group is asking walkers to keep to the boardwalk between March and September,
when new grass is most easily trampled.</p>
""",
    },
    {
        "slug": "quay-street-bakery-centenary",
        "days_ago": 3.4,
        "category": "culture",
        "authors": ["imogen-salt"],
        "title": "A hundred years of bread on Quay Street",
        "standfirst": "The Hollis family bakery marks its centenary with an exhibition of "
        "photographs, recipes and one very old oven door.",
        "body": """
<p>The oven door hangs on the wall of the library's community room this month, cast iron,
black, and heavier than it looks. It came out of the Hollis bakery on Quay Street when the
old coal oven was finally replaced in 1962.</p>
<h2>From coal to electric</h2>
<p>The exhibition follows the bakery through four generations: the first loaves sold from
a handcart, the wartime ration books, the queue that formed every Christmas Eve.</p>
<blockquote><p>My grandmother said you could tell the time by the smell of the street.
Bread at five, buns at seven, pies by eleven.</p></blockquote>
<p>The exhibition is free and open during library hours until the end of the month.</p>
""",
    },
    {
        "slug": "rovers-win-derby",
        "days_ago": 4.6,
        "category": "sport",
        "authors": ["dev-pillai"],
        "title": "Rovers take the derby with a late header",
        "standfirst": "A corner in the eighty-ninth minute settled a tight, windy game at "
        "the Marsh Road ground.",
        "body": """
<p>Larkspur Rovers beat Saltmarsh Athletic two goals to one on Saturday, with centre-back
Priya Lund rising highest at a late corner to settle a scrappy derby.</p>
<h2>How it went</h2>
<ul>
  <li>Saltmarsh led at half-time through a deflected shot.</li>
  <li>Rovers equalised ten minutes after the restart from the penalty spot.</li>
  <li>The winner came from the last corner of the match.</li>
</ul>
<p>The result lifts Rovers to fourth in the county league, two points off the promotion
places with six games left.</p>
""",
    },
    {
        "slug": "library-opening-hours",
        "days_ago": 6.2,
        "category": "town-hall",
        "authors": ["mara-okafor"],
        "title": "Library to open on Sunday afternoons from next month",
        "standfirst": "A trial of Sunday opening will run for six months, staffed partly "
        "by volunteers.",
        "body": """
<p>The town library will open from one until five on Sunday afternoons from next month,
the council confirmed, in a six-month trial.</p>
<h2>Who asked for it</h2>
<p>A petition with more than eight hundred signatures asked for weekend opening last
autumn, many of them from parents and from students revising for exams.</p>
<blockquote><p>Saturday mornings are full. Sunday is when families actually have time to
come in.</p></blockquote>
<p>The trial will be reviewed in the summer, with visitor numbers published monthly.</p>
""",
    },
    {
        "slug": "seal-pups-on-the-spit",
        "days_ago": 8.5,
        "category": "environment",
        "authors": ["tomasz-wren"],
        "title": "Seal pups return to the spit: keep your distance, wardens ask",
        "standfirst": "Seven pups have been counted on the sand spit so far this season, "
        "the highest number for a decade.",
        "body": """
<p>Wardens have counted seven grey seal pups on the sand spit at the mouth of the bay,
and expect more before the season ends.</p>
<h2>How to watch without disturbing them</h2>
<ul>
  <li>Stay at least fifty metres away, and further if a seal looks up at you.</li>
  <li>Keep dogs on a lead along the whole of the spit.</li>
  <li>Never get between a pup and the water.</li>
</ul>
<p>A pup alone on the beach is usually not abandoned: its mother is often feeding just
offshore.</p>
""",
    },
    {
        "slug": "lighthouse-keepers-play",
        "days_ago": 10.3,
        "category": "culture",
        "authors": ["imogen-salt"],
        "title": "Review: The Keeper's Log at the Pier Theatre",
        "standfirst": "A two-hander about the last lighthouse keepers on the point is "
        "funny, sad and far too short.",
        "body": """
<p>The Pier Theatre's new production takes place entirely in the lamp room of a
lighthouse on the night before the light is automated. Two keepers, one log book, and a
storm that will not let either of them leave.</p>
<h2>A small stage, used well</h2>
<p>The set is a circle of windows and a single brass lamp, and the lighting does the rest:
the beam sweeps the audience every thirty seconds, and you stop noticing it until it
stops.</p>
<blockquote><p>Nobody writes in the log that they were lonely. They write the wind speed.
</p></blockquote>
<p>The run ends on Saturday. Go if you can.</p>
""",
    },
    {
        "slug": "rowing-club-new-boat",
        "days_ago": 13.1,
        "category": "sport",
        "authors": ["dev-pillai"],
        "title": "Rowing club names its new boat after founding member",
        "standfirst": "The club's first new coxed four in twenty years carries the name of "
        "the woman who started it.",
        "body": """
<p>Larkspur Bay Rowing Club launched its new coxed four from the slipway on Sunday
morning, named the <em>Edith Marr</em> after the founding member who taught half the town
to row.</p>
<h2>Paid for by cake</h2>
<p>The boat was bought with three years of fundraising: sponsored rows, a winter quiz
league, and what members describe as an unreasonable number of cake sales.</p>
<p>The crew that took her out first included two of Edith Marr's great-grandchildren.</p>
""",
    },
    {
        "slug": "street-lights-switch",
        "days_ago": 16.4,
        "category": "town-hall",
        "authors": ["mara-okafor"],
        "title": "Street lights to dim after midnight in residential roads",
        "standfirst": "The council says the change will save money and help the bats; "
        "some residents say they will feel less safe.",
        "body": """
<p>Street lights on residential roads will dim to half brightness between midnight and
five in the morning from the autumn, after a vote at last week's environment committee.</p>
<h2>The arguments</h2>
<ul>
  <li>The council expects to save around a fifth of its street lighting bill.</li>
  <li>The local bat group says darker streets help the colony by the old mill.</li>
  <li>Some residents on the estate say they already find the footpaths too dark.</li>
</ul>
<p>Main roads, junctions and the seafront will stay fully lit.</p>
""",
    },
    {
        "slug": "tide-gauge-century",
        "days_ago": 20.2,
        "category": "environment",
        "authors": ["tomasz-wren"],
        "title": "A hundred years of tides, read from a brass gauge",
        "standfirst": "The harbour tide gauge has been read by hand since the 1920s. Our "
        "partner paper talked to the volunteers who still do it.",
        "original_outlet": "The Saltmarsh Gazette",
        "original_url": "https://example.org/saltmarsh-gazette/tide-gauge-century",
        "body": """
<p>Twice a day, someone walks to the end of the harbour arm and writes down a number.
They have done so, with a few gaps for wartime and one for a very bad winter, for almost
a hundred years.</p>
<h2>What the numbers show</h2>
<p>Plotted together, the readings show the average high tide creeping upwards by a few
millimetres each year: small in any one year, plain to see over a century.</p>
<blockquote><p>It is the most boring job in the harbour, and the most important one.</p>
</blockquote>
<p>The volunteers are looking for two more people to join the rota.</p>
""",
    },
    # Scheduled: readers see nothing until its time comes.
    {
        "slug": "festival-programme-announced",
        "days_ago": -3,
        "category": "culture",
        "authors": ["imogen-salt", "mara-okafor"],
        "title": "Summer festival programme announced",
        "standfirst": "Three days of music, theatre and a sandcastle contest on the seafront.",
        "body": "<p>The festival committee will announce the full programme on Friday.</p>",
    },
    # A draft: an editor is still working on it.
    {
        "slug": "ferry-timetable-changes",
        "days_ago": None,
        "category": "town-hall",
        "authors": ["mara-okafor"],
        "title": "Ferry timetable changes (draft)",
        "standfirst": "Notes for a story on the winter ferry timetable.",
        "body": "<p>Still waiting for the operator to confirm the Sunday sailings.</p>",
    },
]


class Command(BaseCommand):
    help = "Create or update the invented demo newsroom (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        now = timezone.now()
        authors = {
            data["slug"]: Author.objects.update_or_create(
                slug=data["slug"], defaults={"name": data["name"], "bio": data["bio"]}
            )[0]
            for data in AUTHORS
        }
        categories = {
            data["slug"]: Category.objects.update_or_create(
                slug=data["slug"],
                defaults={"name": data["name"], "description": data["description"]},
            )[0]
            for data in CATEGORIES
        }
        created = 0
        articles = {}
        for data in ARTICLES:
            days_ago = data["days_ago"]
            if days_ago is None:
                status, published_at = Article.Status.DRAFT, None
            else:
                status, published_at = Article.Status.PUBLISHED, now - timedelta(days=days_ago)
            fields = {
                "title": data["title"],
                "standfirst": data["standfirst"],
                "body": data["body"].strip(),
                "category": categories[data["category"]],
                "status": status,
                "original_outlet": data.get("original_outlet", ""),
                "original_url": data.get("original_url", ""),
            }
            # The date is only chosen on creation, so published links never move on a re-run.
            article, was_created = Article.objects.get_or_create(
                slug=data["slug"], defaults={**fields, "published_at": published_at}
            )
            _update_if_changed(article, fields)
            created += was_created
            articles[article.slug] = article
            for position, author_slug in enumerate(data["authors"]):
                ArticleAuthor.objects.update_or_create(
                    article=article, author=authors[author_slug], defaults={"position": position}
                )
        pictures = feature_pictures(articles)
        self.stdout.write(
            f"Demo content ready: {len(AUTHORS)} authors, {len(CATEGORIES)} categories, "
            f"{len(ARTICLES)} articles ({created} new), {len(PICTURES)} illustrations "
            f"({pictures} new)."
        )


def _update_if_changed(article, fields):
    """Save only real changes, so a re-run does not move "last modified" dates in feeds."""
    # Bodies are stored sanitised, so compare with what saving would store.
    wanted = {**fields, "body": sanitize_article_html(fields["body"])}
    changed = [name for name, value in wanted.items() if getattr(article, name) != value]
    if changed:
        for name in changed:
            setattr(article, name, wanted[name])
        article.save()


# Pictures -----------------------------------------------------------------------------
# Our own illustrations, drawn here with Pillow from shapes and gradients, so the demo
# shows featured images (lead story, teasers, article pages, og:image) without copying a
# picture from anywhere. Drawn the same way on every run: the same bytes, the same image.

PICTURE_SIZE = (1600, 900)
PICTURE_CREDIT = "Illustration: The Newsroom"


def _gradient(size, top, bottom):
    """A vertical gradient from colour `top` to colour `bottom`."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    ramp = PILImage.linear_gradient("L").resize(size)
    return ImageOps.colorize(ramp, top, bottom).convert("RGB")


def _draw_harbour_wall(size):
    from PIL import ImageDraw

    width, height = size
    picture = _gradient(size, "#f3d9b1", "#8fb8d8")  # evening sky
    sea = _gradient((width, height // 2), "#3f7ea6", "#123a56")
    picture.paste(sea, (0, height // 2))
    draw = ImageDraw.Draw(picture)
    # The wall runs in from the left, its capping stones in a row, the gap the storm left.
    wall_top = int(height * 0.44)
    draw.polygon(
        [
            (0, wall_top),
            (int(width * 0.78), wall_top + 40),
            (int(width * 0.78), height * 0.62),
            (0, height * 0.70),
        ],
        fill="#8a8580",
    )
    stone = width // 26
    for n in range(20):
        if n in (11, 12):
            continue  # the missing stretch
        x = n * stone
        y = wall_top + int(40 * x / (width * 0.78)) - 18
        draw.rectangle([x + 3, y, x + stone - 3, y + 20], fill="#b9b2a8")
    # Swell against the wall.
    for row in range(6):
        y = int(height * 0.66) + row * 45
        for x in range(-40, width, 160):
            draw.arc([x, y, x + 160, y + 40], 200, 340, fill="#9cc4dd", width=4)
    draw.ellipse(
        [width * 0.82, height * 0.16, width * 0.82 + 90, height * 0.16 + 90], fill="#fff1d0"
    )
    return picture


def _draw_dunes(size):
    from PIL import ImageDraw

    width, height = size
    picture = _gradient(size, "#bfe0f2", "#fdf3dc")
    draw = ImageDraw.Draw(picture)
    colours = ["#e8cf9c", "#d9b779", "#c79d5e", "#b08447"]
    for layer, colour in enumerate(colours):
        base = int(height * (0.45 + layer * 0.14))
        points = [(0, height)]
        for x in range(0, width + 80, 80):
            # Gentle crests, each layer shifted, nearer layers taller.
            crest = 60 + layer * 25
            phase = (x / width * 3.1 + layer * 0.9) % 2
            y = base - int(crest * (1 - abs(phase - 1)))
            points.append((x, y))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    # Marram grass on the nearest crest.
    for x in range(120, width, 210):
        base = int(height * 0.9)
        for lean in (-30, -10, 12, 28):
            draw.line([(x, base), (x + lean, base - 90)], fill="#6f8a4a", width=5)
    return picture


def _draw_loaf(size):
    from PIL import ImageDraw

    width, height = size
    picture = _gradient(size, "#f6efe4", "#d8c7ad")
    draw = ImageDraw.Draw(picture)
    # The bread board, then the loaf on it with its scored top.
    draw.rounded_rectangle(
        [width * 0.12, height * 0.62, width * 0.88, height * 0.80], radius=30, fill="#9b6b3f"
    )
    draw.ellipse([width * 0.2, height * 0.66, width * 0.8, height * 0.78], fill="#6e4a2b")
    left, top, right, bottom = width * 0.22, height * 0.26, width * 0.78, height * 0.72
    draw.ellipse([left, top, right, bottom], fill="#c98a3c")
    draw.ellipse([left + 30, top + 25, right - 30, bottom - 60], fill="#dca257")
    for n in range(4):
        x = left + (right - left) * (0.22 + n * 0.17)
        draw.arc([x - 70, top + 50, x + 70, bottom - 90], 200, 330, fill="#f3dcae", width=14)
    return picture


def _draw_town_hall(size):
    from PIL import ImageDraw

    width, height = size
    picture = _gradient(size, "#a9c7e8", "#e9f1f8")
    draw = ImageDraw.Draw(picture)
    stone, shadow = "#e4d9c6", "#b9ab94"
    left, right = int(width * 0.18), int(width * 0.82)
    base = int(height * 0.9)
    draw.rectangle([0, base, width, height], fill="#7c7a74")  # the square
    draw.rectangle([left, int(height * 0.38), right, base], fill=stone)
    draw.polygon(  # the pediment
        [
            (left - 20, int(height * 0.38)),
            (width // 2, int(height * 0.16)),
            (right + 20, int(height * 0.38)),
        ],
        fill=shadow,
    )
    draw.ellipse(  # the clock
        [width // 2 - 45, int(height * 0.22), width // 2 + 45, int(height * 0.22) + 90],
        fill="#f8f4ea",
        outline="#4a4a4a",
        width=5,
    )
    columns = 8
    span = (right - left) / columns
    for n in range(columns + 1):
        x = int(left + n * span)
        draw.rectangle([x - 14, int(height * 0.42), x + 14, base - 30], fill="#f4eee3")
    for n in range(columns):  # tall windows between the columns
        x = int(left + (n + 0.5) * span)
        draw.rectangle([x - 22, int(height * 0.50), x + 22, int(height * 0.72)], fill="#4f6478")
    draw.rectangle([left - 30, base - 30, right + 30, base], fill=shadow)  # the steps
    return picture


PICTURES = [
    {
        "article": "harbour-wall-repairs-approved",
        "draw": _draw_harbour_wall,
        "title": "Harbour wall at dusk (illustration)",
        "alt_text": "An illustration of the harbour wall at dusk, a gap in its capping stones, "
        "with the sea swelling against it.",
        "caption": "The east harbour wall, where February's storms took the capping stones.",
    },
    {
        "article": "northern-dunes-survey",
        "draw": _draw_dunes,
        "title": "Northern dunes (illustration)",
        "alt_text": "An illustration of sand dunes in layers of gold under a pale sky, "
        "marram grass on the nearest crest.",
        "caption": "The northern dunes, retreating by more than a metre a year.",
    },
    {
        "article": "quay-street-bakery-centenary",
        "draw": _draw_loaf,
        "title": "A loaf on a bread board (illustration)",
        "alt_text": "An illustration of a round, scored loaf of bread on a wooden board.",
        "caption": "A hundred years of baking on Quay Street.",
    },
    {
        "article": "budget-in-numbers",
        "draw": _draw_town_hall,
        "title": "Town hall facade (illustration)",
        "alt_text": "An illustration of the town hall's facade: columns, tall windows, a "
        "pediment with a clock, steps down to the square.",
        "caption": "The town hall, where the draft budget goes to the vote.",
    },
]


def _picture_bytes(draw):
    picture = draw(PICTURE_SIZE)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


def feature_pictures(articles):
    """Give the articles in PICTURES their illustration as featured image, stored through
    the media library as an upload is (checked, re-encoded, renditions made). An article
    that has a featured image keeps it, and an illustration already in the library is used
    again: a second run draws nothing and stores nothing. Returns how many were stored."""
    stored = 0
    for data in PICTURES:
        article = articles.get(data["article"])
        if article is None or article.featured_image_id:
            continue
        checked = imaging.check_image(_picture_bytes(data["draw"]))
        image = Image.objects.filter(content_hash=checked.content_hash).first()
        if image is None:
            image = Image.objects.store(
                checked,
                title=data["title"],
                alt_text=data["alt_text"],
                caption=data["caption"],
                credit=PICTURE_CREDIT,
            )
            stored += 1
        article.featured_image = image
        article.save(update_fields=["featured_image", "updated_at"])
    return stored
