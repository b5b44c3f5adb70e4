"""Hostile comment input of our own: bodies, names and website values that try to run script.

Every payload that could run sets the sentinel `window.__xss`, so a browser test can tell
whether any of them did. Used by tests/browser/test_hostile_comments.py (rendered in
Chromium) and tests/security/.
"""

SENTINEL = "__xss"

BODIES = [
    # Script elements, plain and disguised.
    "<script>window.__xss=1</script>",
    "<SCRIPT SRC=data:text/javascript,window.__xss=1></SCRIPT>",
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    "<script/xss>window.__xss=1</script>",
    '<script type="module">window.__xss=1</script>',
    "<<script>window.__xss=1//<</script>",
    "</p></div></section><script>window.__xss=1</script>",
    # Event handlers.
    "<img src=x onerror=window.__xss=1>",
    '<img src="x" onerror="window.__xss=1">',
    "<img src=x OnErRoR=window.__xss=1>",
    "<img/src=x/onerror=window.__xss=1>",
    '<body onload="window.__xss=1">',
    '<a href="https://example.com/" onmouseover="window.__xss=1">hover</a>',
    '<b onclick="window.__xss=1">click</b>',
    '<details open ontoggle="window.__xss=1">',
    '<input autofocus onfocus="window.__xss=1">',
    '<video><source onerror="window.__xss=1"></video>',
    '<abbr title="x" onpointerenter="window.__xss=1">hi</abbr>',
    # javascript:, data: and vbscript: links in every spelling.
    '<a href="javascript:window.__xss=1">plain</a>',
    '<a href="JaVaScRiPt:window.__xss=1">mixed case</a>',
    '<a href=" javascript:window.__xss=1">leading space</a>',
    '<a href="\x01javascript:window.__xss=1">leading control</a>',
    '<a href="java\tscript:window.__xss=1">tab</a>',
    '<a href="java\nscript:window.__xss=1">newline</a>',
    '<a href="jav&#x09;ascript:window.__xss=1">entity tab</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:window.__xss=1">dec</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:window.__xss=1">hex</a>',
    '<a href="&#0000106avascript:window.__xss=1">padded</a>',
    '<a href="javascript&colon;window.__xss=1">named colon</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==">b64</a>',
    '<a href="DATA:text/html,<script>window.__xss=1</script>">data</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<q cite="javascript:window.__xss=1">quoted</q>',
    "<a href=javascript:window.__xss=1>unquoted</a>",
    '<a href="https://example.com/"title="x"onclick="window.__xss=1">no spaces</a>',
    # SVG and MathML.
    "<svg onload=window.__xss=1>",
    "<svg><script>window.__xss=1</script></svg>",
    '<svg><a xlink:href="javascript:window.__xss=1"><text y="20">svg link</text></a></svg>',
    '<svg><animate onbegin="window.__xss=1" attributeName="x" dur="1s"/></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=1">',
    '<math href="javascript:window.__xss=1">math link</math>',
    # Mutation XSS: markup that changes meaning when parsed again.
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=window.__xss=1>",
    '<svg></p><style><a id="</style><img src=1 onerror=window.__xss=1>">',
    "<listing>&lt;img src=x onerror=window.__xss=1&gt;</listing>",
    '<template><img src=x onerror="window.__xss=1"></template>',
    "<!--<img src=x onerror=window.__xss=1>-->",
    "<![CDATA[<img src=x onerror=window.__xss=1>]]>",
    '<textarea></textarea><img src=x onerror="window.__xss=1">',
    '<title></title><img src=x onerror="window.__xss=1">',
    # Broken markup and attributes breaking out of their quotes.
    '"><img src=x onerror=window.__xss=1>',
    "'><img src=x onerror=window.__xss=1>",
    '<a href="https://example.com/" title="x" " onclick="window.__xss=1">quotes</a>',
    "<a title='x' onclick='window.__xss=1' href='https://example.com/'>single quotes</a>",
    "<a title=`x` onclick=`window.__xss=1`>backticks</a>",
    "<b <img src=x onerror=window.__xss=1>>",
    "<a href='https://example.com/ onmouseover=window.__xss=1'>in href</a>",
    # Frames, objects, forms, base and meta refresh.
    '<iframe src="javascript:window.__xss=1"></iframe>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '<object data="javascript:window.__xss=1"></object>',
    '<embed src="data:text/html,<script>window.__xss=1</script>">',
    '<form action="javascript:window.__xss=1"><button>go</button></form>',
    '<button formaction="javascript:window.__xss=1">go</button>',
    '<base href="javascript:window.__xss=1//">',
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
    '<meta http-equiv="refresh" content="0;url=https://example.com/">',
    '<link rel="stylesheet" href="javascript:window.__xss=1">',
    # CSS.
    '<b style="background:url(javascript:window.__xss=1)">css url</b>',
    "<style>@import 'javascript:window.__xss=1';</style>",
    '<b style="width:expression(window.__xss=1)">expression</b>',
    "<style>body{background:url(https://example.com/track.png)}</style>",
    # Right-to-left overrides and other invisible characters.
    "\u202eevil.exe\u202c is a text file",
    '<a href="https://example.com/\u202egnp.exe">\u202egnp.exe</a>',
    "zero\u200bwidth\ufeff and \u2028 line separator",
]

NAMES = [
    "<script>window.__xss=1</script>",
    '"><img src=x onerror=window.__xss=1>',
    "<img src=x onerror=window.__xss=1>",
    "' onmouseover='window.__xss=1",
    '" onmouseover="window.__xss=1',
    "<svg onload=window.__xss=1>",
    "</p><script>window.__xss=1</script>",
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "\u202eelbarwoC nhoJ",
    '<a href="javascript:window.__xss=1">Moderator</a>',
]

# Values for the Website field. Non-http(s) ones should be turned away by the form; those
# that get through are linked from the commenter's name.
WEBSITES = [
    "javascript:window.__xss=1",
    "JAVASCRIPT:window.__xss=1",
    " javascript:window.__xss=1",
    "java\tscript:window.__xss=1",
    "data:text/html,<script>window.__xss=1</script>",
    "vbscript:msgbox(1)",
    'https://example.com/"onmouseover="window.__xss=1',
    "https://example.com/'><script>window.__xss=1</script>",
    "https://example.com/?q=<script>window.__xss=1</script>",
    "//example.com/protocol-relative",
    "https://example.com/\u202egnp.exe",
    "https://example.com/path?x=1&y=2#frag",
]
