package quakeml

// FeedQuakeML is the only feed this package reads.
const FeedQuakeML = "quakeml"

// MaxInputSize is the largest file Parse accepts. Bulletin exports of a few
// thousand events fit; the limit only bounds a hostile input.
const MaxInputSize = 64 << 20

// maxDepth bounds XML nesting outside events; a QuakeML event nests about
// seven levels deep.
const maxDepth = 64
