package bmkgquake

// Feed names, as stored in quake.Event.Feed. The feed is recognised from
// the content, never from a file name.
const (
	FeedAutogempa      = "autogempa"
	FeedGempaterkini   = "gempaterkini"
	FeedGempadirasakan = "gempadirasakan"
)

// MaxInputSize is the largest file Parse accepts. Real feeds are a few KB;
// the limit only keeps a hostile input from costing unbounded memory.
const MaxInputSize = 64 << 20

// maxDepth bounds XML nesting; the real feeds nest four levels deep.
const maxDepth = 32
