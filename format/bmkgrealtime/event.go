package bmkgrealtime

// FeedRealtime is the only feed this package reads.
const FeedRealtime = "realtime"

// MaxInputSize is the largest file Parse accepts. The realtime feed is a
// few hundred KB at most; the limit only bounds a hostile input.
const MaxInputSize = 64 << 20
