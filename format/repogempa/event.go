package repogempa

// FeedRepogempa is the only feed this package reads.
const FeedRepogempa = "repogempa"

// MaxInputSize is the largest page Parse accepts. A busy day is well under
// 1 MB; the limit only bounds a hostile input.
const MaxInputSize = 64 << 20
