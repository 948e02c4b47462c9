package mkg

// SynopValues is the Level 2 content of a SYNOP report.
// Placeholder until the decoder's value set is mapped (same session).
type SynopValues struct{}
